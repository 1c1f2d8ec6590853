package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.topology.LatestStatusQuery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latest-status lookup on a real broker with two instances: asked at either, it is answered for an id whose
 * store partition lives on the other one (Kafka Streams' interactive queries, then the peer's HTTP API), and the
 * CLI's {@code status --id} goes through it.
 */
class StatusLookupIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The peers' shared token of both instances: /api/status answers nobody else (but a console session). */
    private static final String PEER_TOKEN = "status-lookup-peer-token-7";

    @TempDir
    Path dir;

    private MailerHarness first;
    private MailerHarness second;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void shouldAnswerForAnIdWhoseStoreLivesOnTheOtherInstance() throws Exception {
        first = new MailerHarness(dir.resolve("state-1")).withProperty(ProcessSettings.TOPIC_PARTITIONS, "4")
                .withProperty(ProcessSettings.HTTP_PEER_TOKEN, PEER_TOKEN);
        second = new MailerHarness(dir.resolve("state-2"), first).withProperty(ProcessSettings.HTTP_PEER_TOKEN, PEER_TOKEN);
        first.start();
        second.start();
        String secondAddress = "127.0.0.1:" + second.app().httpPort();
        await().atMost(WAIT).until(() -> bothRunning() && ownsSomeId(first, secondAddress));
        String remoteId = idOwnedBy(first.app().streams(), secondAddress);

        // Published as another instance (or an older mailer) would: the store reads the topic, whoever wrote it.
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        publish(remoteId, "acme", Status.RETRY_SCHEDULED, at);
        publish(remoteId, "acme", Status.SENT, at.plusSeconds(60));
        publish(remoteId, "globex", Status.DEAD_LETTERED, at.plusSeconds(30));

        String firstUrl = "http://127.0.0.1:" + first.app().httpPort();
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> r = get(firstUrl + "/api/status?tenant=acme&id=" + remoteId);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            StatusEvent s = StatusEventJson.parse(r.body().getBytes(StandardCharsets.UTF_8));
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.tenant()).isEqualTo("acme");
        });
        HttpResponse<String> both = get(firstUrl + "/api/status?id=" + remoteId);
        assertThat(both.statusCode()).isEqualTo(200);
        assertThat(StatusEventJson.parseOneOrMany(both.body().getBytes(StandardCharsets.UTF_8)))
                .extracting(StatusEvent::tenant, StatusEvent::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acme", Status.SENT),
                        org.assertj.core.groups.Tuple.tuple("globex", Status.DEAD_LETTERED));

        HttpResponse<String> none = get(firstUrl + "/api/status?tenant=acme&id=never-sent");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("\"error\":\"no status\"");
        assertThat(get(firstUrl + "/api/status").statusCode()).isEqualTo(400);
        HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(URI.create(firstUrl + "/api/status?tenant=acme&id="
                + remoteId)).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).as("no token, no session").isEqualTo(401);
        assertThat(stranger.body()).doesNotContain("acme").doesNotContain(remoteId);

        // The CLI asks the first instance; the answer comes from the second's store.
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = io.github.kafkamailer.cli.MailerCli.execute(new String[]{"status", "--id", remoteId, "--tenant",
                "acme", "--url", firstUrl, "--token", PEER_TOKEN}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("SENT").doesNotContain("RETRY_SCHEDULED");

        // No mailer there: said, with the way to the history, exit 1.
        StringWriter err2 = new StringWriter();
        int down = io.github.kafkamailer.cli.MailerCli.execute(new String[]{"status", "--id", remoteId, "--url",
                "http://127.0.0.1:1", "--timeout", "3s"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true));
        assertThat(down).isEqualTo(1);
        assertThat(err2.toString()).contains("cannot reach a mailer at http://127.0.0.1:1").contains("--history");
    }

    private boolean bothRunning() {
        return first.app().streams().state() == KafkaStreams.State.RUNNING
                && second.app().streams().state() == KafkaStreams.State.RUNNING;
    }

    private static boolean ownsSomeId(MailerHarness asker, String owner) {
        try {
            idOwnedBy(asker.app().streams(), owner);
            return true;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    /** An id whose status-latest partition the instance at {@code owner} holds, as {@code streams} sees it. */
    private static String idOwnedBy(KafkaStreams streams, String owner) {
        for (int i = 0; i < 200; i++) {
            String id = "lookup-" + i;
            Optional<LatestStatusQuery.Owner> o = LatestStatusQuery.owner(streams, id);
            if (o.isPresent() && o.get().active().equals(owner)) {
                return id;
            }
        }
        throw new IllegalStateException("no id owned by " + owner + " yet");
    }

    private void publish(String id, String tenant, Status status, Instant at) {
        // The record time is now, as the mailer writes it: the entry expires with the retention counted from here.
        first.send(first.topics.status(), id.getBytes(StandardCharsets.UTF_8),
                StatusEventJson.write(new StatusEvent(id, tenant, status, 1, at, TransportKind.SMTP, null)));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + PEER_TOKEN)
                        .timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
