package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.cli.MailerCli;
import io.github.kafkamailer.embedded.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo as a new user tries it: start it, paste the printed command, see the email arrive. */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void shouldDeliverAnEmailSentWithTheCliWithinOneInterval() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Demo demo = new Demo(dir, 0, 0, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            demo.start();
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("Kafka bootstrap servers: " + demo.bootstrapServers())
                    .contains("127.0.0.1:" + demo.smtpPort())
                    .contains("send --bootstrap-servers " + demo.bootstrapServers() + " --to bob@example.com");
            // The console is on, with a password printed for this run.
            assertThat(output).contains("Admin console: http://127.0.0.1:" + demo.httpPort() + "/console/")
                    .contains("password: " + demo.consolePassword());
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> login = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + demo.httpPort() + "/console/login"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"password\":\"" + demo.consolePassword() + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(204);

            StringWriter out = new StringWriter();
            int code = MailerCli.execute(new String[] {"send", "--bootstrap-servers", demo.bootstrapServers(),
                    "--to", "bob@example.com", "--subject", "Hello from Kafka", "--text", "It works."},
                    new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
            assertThat(code).isZero();

            // One interval, plus the commit of the outbox record and the stream's own latency.
            await().atMost(Duration.ofSeconds(5 + 5)).until(() -> demo.receivedCount() == 1);
        }
    }
}
