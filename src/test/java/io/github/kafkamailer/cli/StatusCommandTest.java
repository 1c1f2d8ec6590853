package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} against a stand-in of a mailer's {@code GET /api/status}: what it asks, prints and exits with. */
class StatusCommandTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private HttpServer server;
    /** The answers to give, in order (the last one repeats): status code and body. */
    private final Queue<String[]> answers = new ConcurrentLinkedQueue<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/status", ex -> {
            asked.add(ex.getRequestURI().toString());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            String[] a = answers.size() > 1 ? answers.poll() : answers.peek();
            byte[] body = a[1].getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(Integer.parseInt(a[0]), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String status(String tenant, Status s, int seconds) {
        return new String(StatusEventJson.write(new StatusEvent("inv-1", tenant, s, 1, AT.plusSeconds(seconds),
                TransportKind.SMTP, s == Status.DEAD_LETTERED ? "550 no such user" : null)), StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintTheLatestStatusOfEachTenantFromTheMailer() {
        answers.add(new String[]{"200", "[" + status("acme", Status.SENT, 5) + "," + status("globex",
                Status.DEAD_LETTERED, 3) + "]"});
        CliTest.Result r = CliTest.run("status", "--id", "inv-1", "--url", url);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("acme").contains("SENT").contains("globex").contains("550 no such user");
        assertThat(asked).containsExactly("/api/status?id=inv-1");
    }

    @Test
    void shouldAskForOneTenantAndSendThePeerTokenOfTheConfigFile() throws IOException {
        Path config = Files.writeString(dir.resolve("mailer.properties"), "mailer.http.peer.token=s3cret-token\n");
        answers.add(new String[]{"200", status("acme", Status.SENT, 5)});
        CliTest.Result r = CliTest.run("status", "--id", "inv-1", "--tenant", "acme", "--url", url + "/",
                "--config", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(asked).containsExactly("/api/status?id=inv-1&tenant=acme");
        assertThat(authorizations).containsExactly("Bearer s3cret-token");
        assertThat(r.out() + r.err()).doesNotContain("s3cret-token");
    }

    @Test
    void shouldSayWhenTheEmailHasNoStatus() {
        answers.add(new String[]{"404", "{\"error\":\"no status\",\"id\":\"inv-1\"}"});
        CliTest.Result r = CliTest.run("status", "--id", "inv-1", "--url", url);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no status for email 'inv-1'");
    }

    @Test
    void shouldFollowUntilTheLatestStatusIsFinal() {
        answers.add(new String[]{"404", "{\"error\":\"no status\"}"});
        answers.add(new String[]{"200", status("acme", Status.RETRY_SCHEDULED, 1)});
        answers.add(new String[]{"200", status("acme", Status.RETRY_SCHEDULED, 1)});
        answers.add(new String[]{"200", status("acme", Status.SENT, 9)});
        CliTest.Result r = CliTest.run("status", "--id", "inv-1", "--follow", "--url", url);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.contains("RETRY_SCHEDULED"))).hasSize(1);
        assertThat(r.out()).contains("SENT");
        assertThat(asked).hasSize(4);
    }

    @Test
    void shouldExitZeroWhenFollowingEndsWithSuppressed() {
        // Every recipient suppressed: nothing to send, and no failure (CONTRACT.md, "Suppression record").
        answers.add(new String[]{"200", status("acme", Status.RETRY_SCHEDULED, 1)});
        answers.add(new String[]{"200", status("acme", Status.SUPPRESSED, 9)});
        CliTest.Result r = CliTest.run("status", "--id", "inv-1", "--follow", "--url", url);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("SUPPRESSED");
    }

    @Test
    void shouldExitZeroOnlyForTheFinalStatusesThatAreNoFailure() {
        assertThat(WaitExit.of(Status.SENT)).isZero();
        assertThat(WaitExit.of(Status.DRAFTED)).isZero();
        assertThat(WaitExit.of(Status.SUPPRESSED)).isZero();
        assertThat(WaitExit.of(Status.DEAD_LETTERED)).isEqualTo(MailerCli.FAILED);
        assertThat(WaitExit.of(Status.SKIPPED)).isEqualTo(MailerCli.FAILED);
        assertThat(WaitExit.of(Status.BOUNCED)).isEqualTo(MailerCli.FAILED);
    }

    @Test
    void shouldPointToTheHistoryWhenNoMailerAnswers() {
        server.stop(0);
        CliTest.Result r = CliTest.run("status", "--id", "inv-1", "--url", url, "--timeout", "3s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach a mailer at " + url).contains("--history");
        CliTest.Result other = CliTest.run("status", "--id", "inv-1", "--url", url, "--follow", "--timeout", "3s");
        assertThat(other.code()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAUrlThatIsNotHttp() {
        CliTest.Result r = CliTest.run("status", "--id", "inv-1", "--url", "ftp://x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--url must be an http(s) URL");
    }
}
