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
    /** What the demo printed so far, when run as a process. */
    private static final class Output {
        private final StringBuffer text = new StringBuffer();

        Output(java.io.InputStream in) {
            Thread t = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(
                        new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        text.append(line).append('\n');
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            }, "demo-output");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /**
     * README's first command, {@code ./mailer demo}, as a process: the launcher runs target/mailer-demo.jar (built
     * by mvn package before the integration tests), whose printed send command, pasted as it is, runs the
     * production jar; the email arrives within an interval, and SIGTERM stops the demo.
     */
    @Test
    void shouldRunTheReadmesFirstCommandAndDeliverWhatThePrintedCommandSends() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("./mailer", "demo", "--data-dir", dir.resolve("demo").toString())
                .redirectErrorStream(true);
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xmx512m");
        Process demo = pb.start();
        Output output = new Output(demo.getInputStream());
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> output.toString().contains("Press Ctrl-C to stop.")
                    || !demo.isAlive());
            String printed = output.toString();
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?m)^  (java -jar \\S+) send --bootstrap-servers (\\S+) ").matcher(printed);
            assertThat(m.find()).as(printed).isTrue();
            assertThat(m.group(1)).as("the production jar runs the other commands").isEqualTo("java -jar target/mailer.jar");
            Process send = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", "target/mailer.jar", "send", "--bootstrap-servers", m.group(2), "--to", "bob@example.com",
                    "--subject", "Hello from Kafka", "--text", "It works.").redirectErrorStream(true).start();
            String sent = new String(send.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(send.waitFor()).as(sent).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains(
                    "Received from donotreply@demo.example to bob@example.com: Hello from Kafka"));
        } finally {
            demo.destroy();
            assertThat(demo.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

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
