package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.cli.MailerCli;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures on a real broker against our fault-injecting SMTP server: retry, expiry, permanent refusals, replay. */
class FailureIT {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state"));
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static long distinct(List<String> values) {
        return new HashSet<>(values).size();
    }

    @Test
    void shouldDeliverEveryEmailOnceWhenTheServerComesBackAfterSeveralRuns() throws Exception {
        smtp.stop();
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        for (int i = 0; i < 20; i++) {
            mailer.publishEmail("down-" + i, email("down-" + i, ""));
        }
        await().atMost(WAIT).until(() ->
                mailer.metrics.count(MailerMetrics.FAILED, "tenant", "default", "kind", "transient") >= 3);

        smtp.start();
        await().atMost(WAIT).until(() -> smtp.receivedCount() >= 20);
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).until(() -> status.statuses().stream().filter(s -> s.status() == Status.SENT).count() == 20);
        assertThat(smtp.receivedCount()).isEqualTo(20);
        assertThat(distinct(smtp.messageIds())).isEqualTo(20);
        assertThat(mailer.reader(mailer.topics.dlq()).poll()).isEmpty();
    }

    @Test
    void shouldSendAWholeRunOfSeveralBatchesOverOneConnection() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"enabled\":false").replace("\"enabled\":true,", ""));
        mailer.publishEmails(java.util.stream.IntStream.range(0, 450).mapToObj(i -> "run-" + i).toList(),
                id -> email(id, ""));
        await().atMost(WAIT).until(() -> mailer.metrics.pending("default") == 450);

        mailer.publishConfig("default", config(smtp.port(), "").replace("\"campaignIntervalSeconds\":1",
                "\"campaignIntervalSeconds\":3600"));
        await().atMost(WAIT).until(() -> smtp.receivedCount() == 450);
        // 450 emails are three batches of at most 200, one run, one SMTP connection.
        assertThat(smtp.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void shouldRetryA4xxUntilItPassesAndDeliverEachEmailOnce() throws Exception {
        smtp.failNextMessages(4, 451);
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        for (int i = 0; i < 3; i++) {
            mailer.publishEmail("soft-" + i, email("soft-" + i, ""));
        }
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).until(() -> status.statuses().stream().filter(s -> s.status() == Status.SENT).count() == 3);
        assertThat(smtp.subjects()).containsExactlyInAnyOrder("Subject soft-0", "Subject soft-1", "Subject soft-2");
        assertThat(status.statuses()).extracting(StatusEvent::status).contains(Status.RETRY_SCHEDULED);
        assertThat(mailer.metrics.count(MailerMetrics.RETRIED, "tenant", "default")).isGreaterThanOrEqualTo(2);
        assertThat(mailer.reader(mailer.topics.dlq()).poll()).isEmpty();
    }

    @Test
    void shouldDeadLetterAsExpiredAboutMaxErrorSecondsAfterTheFirstFailureNotBefore() throws Exception {
        smtp.replyToData(451);
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"maxErrorSeconds\":10"));
        mailer.publishEmail("never", email("never", ""));

        MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
        await().atMost(WAIT).until(() -> dlq.poll().size() == 1);
        Instant arrived = Instant.now();
        ConsumerRecord<byte[], byte[]> dead = dlq.poll().get(0);
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("EXPIRED");
        Instant first = Instant.parse(header(dead, DeadLetterHeaders.FIRST_FAILURE));
        Duration after = Duration.between(first, Instant.ofEpochMilli(dead.timestamp()));
        assertThat(after).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(16));
        assertThat(Duration.between(first, arrived)).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(Integer.parseInt(header(dead, DeadLetterHeaders.ATTEMPTS))).isGreaterThan(1);
        assertThat(smtp.receivedCount()).isZero();
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.statuses()).extracting(StatusEvent::status)
                .contains(Status.RETRY_SCHEDULED, Status.DEAD_LETTERED));
    }

    @Test
    void shouldDeadLetterAPermanentRefusalAtOnceAndDeliverTheOthers() throws Exception {
        smtp.replyToRecipient("nobody@example.com", 550);
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        for (int i = 0; i < 10; i++) {
            String id = "many-" + i;
            mailer.publishEmail(id, i == 4
                    ? email(id, "").replace("bob@example.com", "nobody@example.com")
                    : email(id, ""));
        }
        // Refused for one recipient while the other is accepted: sent to the accepted one, the refusal named.
        mailer.publishEmail("partial", email("partial", "").replace("[\"bob@example.com\"]",
                "[\"bob@example.com\",\"nobody@example.com\"]"));

        MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
        await().atMost(WAIT).until(() -> dlq.poll().size() == 1);
        ConsumerRecord<byte[], byte[]> dead = dlq.poll().get(0);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("many-4");
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("PERMANENT");
        assertThat(header(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("550");

        await().atMost(WAIT).until(() -> smtp.receivedCount() == 10);
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.statuses())
                .filteredOn(s -> s.id().equals("partial")).singleElement()
                .satisfies(s -> {
                    assertThat(s.status()).isEqualTo(Status.SENT);
                    assertThat(s.error()).contains("nobody@example.com");
                }));
        assertThat(mailer.reader(mailer.topics.retry()).poll()).isEmpty();
    }

    @Test
    void shouldRetryAfterTheConnectionDropsMidData() throws Exception {
        smtp.dropConnectionMidData(true);
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishEmail("dropped", email("dropped", ""));
        await().atMost(WAIT).until(() -> mailer.metrics.count(MailerMetrics.RETRIED, "tenant", "default") >= 1);

        smtp.dropConnectionMidData(false);
        await().atMost(WAIT).until(() -> smtp.receivedCount() == 1);
        assertThat(smtp.subjects()).containsExactly("Subject dropped");
    }

    @Test
    void shouldNotLetAHangingServerDelayAnotherTenant() throws Exception {
        // A server that accepts connections and never answers: its tenant's sender waits for the timeout.
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!blackHole.isClosed()) {
                        held.add(blackHole.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            mailer.start();
            mailer.publishConfig("slow", config(blackHole.getLocalPort(), ""));
            mailer.publishConfig("fast", config(smtp.port(), ""));
            mailer.publishEmail("s1", email("s1", "\"tenant\":\"slow\""));
            await().atMost(WAIT).until(() -> !held.isEmpty());

            Instant sent = Instant.now();
            mailer.publishEmail("f1", email("f1", "\"tenant\":\"fast\""));
            await().atMost(WAIT).until(() -> smtp.receivedCount() == 1);
            // The SMTP timeout here is 5 s: delivered well before it, the fast tenant never waited on the slow one.
            assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(4));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void shouldListAndReplayDeadLettersAndSendAReplayedEmailOnce() throws Exception {
        smtp.replyToRecipient("nobody@example.com", 550);
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishEmail("lost", email("lost", "").replace("bob@example.com", "nobody@example.com"));
        MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
        await().atMost(WAIT).until(() -> dlq.poll().size() == 1);

        Path processConfig = dir.resolve("mailer.properties");
        // dlq list reads the status topic too (to mark letters sent later): name it as well.
        Files.writeString(processConfig, "mailer.topic.outbox=" + mailer.topics.outbox() + "\nmailer.topic.dlq="
                + mailer.topics.dlq() + "\nmailer.topic.status=" + mailer.topics.status() + "\n");
        List<String> common = List.of("--bootstrap-servers", SharedBroker.bootstrapServers(), "--config",
                processConfig.toString());

        String[] list = cli(common, "dlq", "list");
        assertThat(list[0]).isEqualTo("0");
        assertThat(list[1]).contains("lost").contains("PERMANENT").contains("550").contains("1 dead letter(s)");
        String[] json = cli(common, "dlq", "list", "--json", "--kind", "PERMANENT", "--tenant", "default");
        assertThat(json[1]).contains("\"id\" : \"lost\"").contains("\"attempts\" : 1");
        assertThat(cli(common, "dlq", "list", "--kind", "EXPIRED")[1]).contains("0 dead letter(s)");
        assertThat(cli(common, "dlq", "list", "--kind", "SOMETIMES")[0]).isEqualTo("2");

        smtp.reset();
        String[] replay = cli(common, "dlq", "replay", "--id", "lost");
        assertThat(replay[0]).as(replay[2]).isEqualTo("0");
        assertThat(replay[1]).contains("Replayed 1 dead letter(s)");
        await().atMost(WAIT).until(() -> smtp.receivedCount() == 1);

        // Replaying again must not send it twice: the id was sent.
        assertThat(cli(common, "dlq", "replay", "--all")[0]).isEqualTo("0");
        mailer.publishEmail("marker", email("marker", ""));
        await().atMost(WAIT).until(() -> smtp.subjects().contains("Subject marker"));
        assertThat(smtp.subjects()).containsExactly("Subject lost", "Subject marker");
        assertThat(cli(common, "dlq", "replay", "--id", "absent")[0]).isEqualTo("1");
    }

    /** Runs the CLI; returns exit code, stdout and stderr. */
    private static String[] cli(List<String> common, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(common);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
