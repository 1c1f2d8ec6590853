package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sending engine on a real broker and a real SMTP exchange: connections, rate, isolation, partial, scale. */
class EngineIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private MailerHarness mailer;
    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state"));
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        mailer.close();
        smtp.close();
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void shouldSendOverTheConfiguredNumberOfConnectionsAtOnce() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"smtpConnections\":4,\"enabled\":false")
                .replace("\"enabled\":true,", ""));
        mailer.publishEmails(ids("c", 600), id -> email(id, ""));
        await().atMost(WAIT).until(() -> mailer.metrics.pending("default") == 600);

        mailer.publishConfig("default", config(smtp.port(), "\"smtpConnections\":4"));
        await().atMost(WAIT).until(() -> smtp.receivedCount() >= 600);
        assertThat(new HashSet<>(smtp.messageIds())).hasSize(600);
        assertThat(smtp.peakOpenConnections()).as("four sessions at once").isEqualTo(4);
    }

    @Test
    void shouldNeverGoPastMaxEmailsPerMinuteAndNeitherFailNorRetryTheRest() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"maxEmailsPerMinute\":6"));
        mailer.publishEmails(ids("r", 12), id -> email(id, ""));

        await().atMost(WAIT).until(() -> smtp.receivedCount() == 6);
        // The rest waits for the window: nothing more within the next seconds (the minute is far from over).
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> smtp.receivedCount() == 6);
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        assertThat(status.statuses()).extracting(StatusEvent::status).containsOnly(Status.SENT).hasSize(6);
        assertThat(mailer.metrics.count(MailerMetrics.FAILED, "tenant", "default", "kind", "transient")).isZero();
        assertThat(new HashSet<>(smtp.subjects())).hasSize(6);
    }

    @Test
    void shouldRetryOnlyTheRecipientTheServerDeferredAndGiveTheOthersOneCopy() throws Exception {
        smtp.replyToRecipient("carol@example.com", 452);
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishEmail("part", email("part", "\"cc\":[\"carol@example.com\"]"));

        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.status() == Status.RETRY_SCHEDULED));
        assertThat(status.statuses()).singleElement().satisfies(s -> assertThat(s.error()).contains("carol@example.com"));
        assertThat(smtp.received()).singleElement()
                .satisfies(r -> assertThat(r.recipients()).containsExactly("bob@example.com"));

        smtp.replyToRecipient("carol@example.com", 250);
        await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.status() == Status.SENT));
        assertThat(smtp.received()).hasSize(2);
        FaultySmtpServer.Received second = smtp.received().get(1);
        assertThat(second.recipients()).containsExactly("carol@example.com");
        assertThat(second.header("Cc")).as("the headers stay as the producer wrote them").contains("carol@example.com");
    }

    @Test
    void shouldNotLetHungServersDelayAHealthyTenantAndCutThemAtTheDeadline() throws Exception {
        FaultySmtpServer hung = new FaultySmtpServer().silent(true).start();
        toClose.add(hung);
        mailer.withProperty(ProcessSettings.SEND_DEADLINE_SECONDS, "3").withProperty(ProcessSettings.SMTP_TIMEOUT_SECONDS, "30");
        mailer.start();
        for (int t = 0; t < 4; t++) {
            mailer.publishConfig("hung" + t, config(hung.port(), "\"smtpConnections\":4"));
            for (int i = 0; i < 10; i++) {
                mailer.publishEmail("h" + t + "-" + i, email("h" + t + "-" + i, "\"tenant\":\"hung" + t + "\""));
            }
        }
        mailer.publishConfig("fine", config(smtp.port(), ""));
        await().atMost(WAIT).until(() -> hung.openConnections() >= 4);

        Instant sent = Instant.now();
        mailer.publishEmail("f1", email("f1", "\"tenant\":\"fine\""));
        await().atMost(WAIT).until(() -> smtp.receivedCount() == 1);
        assertThat(Duration.between(sent, Instant.now())).as("one interval, not the hung servers' time")
                .isLessThan(Duration.ofSeconds(3));

        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(Duration.ofSeconds(20)).until(() -> status.statuses().stream()
                .filter(s -> s.tenant().startsWith("hung") && s.status() == Status.RETRY_SCHEDULED)
                .map(StatusEvent::tenant).distinct().count() == 4);
        assertThat(status.statuses()).filteredOn(s -> s.tenant().startsWith("hung"))
                .allSatisfy(s -> assertThat(s.error()).contains("deadline"));
    }

    @Test
    void shouldHoldThousandsWhileDisabledAndDeliverEachOnceWhenEnabled() throws Exception {
        int n = 5_000;
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"smtpConnections\":4,\"enabled\":false")
                .replace("\"enabled\":true,", ""));
        long t0 = System.nanoTime();
        mailer.publishEmails(ids("m", n), id -> email(id, ""));
        await().atMost(WAIT).until(() -> mailer.metrics.pending("default") == n);
        double intake = n / ((System.nanoTime() - t0) / 1e9);
        assertThat(smtp.receivedCount()).isZero();

        long t1 = System.nanoTime();
        mailer.publishConfig("default", config(smtp.port(), "\"smtpConnections\":4"));
        await().atMost(WAIT).until(() -> smtp.receivedCount() >= n);
        double drain = n / ((System.nanoTime() - t1) / 1e9);
        assertThat(new HashSet<>(smtp.messageIds())).hasSize(n);
        await().atMost(WAIT).until(() -> mailer.metrics.pending("default") == 0);
        assertThat(mailer.app().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        System.out.printf("EngineIT: %d held and delivered once; intake %.0f/s, drain %.0f/s%n", n, intake, drain);
    }

    @Test
    void shouldShareTenantsBetweenInstancesAndMoveThemAtOnceOnAGracefulStop() throws Exception {
        // Three outbox partitions, hence three by-tenant partitions to share (the broker's default is one).
        mailer.withProperty(ProcessSettings.TOPIC_PARTITIONS, "3");
        MailerHarness second = new MailerHarness(dir.resolve("state2"), mailer);
        toClose.add(second);
        mailer.start();
        second.start();
        // Each instance owns some of the sending tasks (subtopology 1: one task per by-tenant partition).
        await().atMost(WAIT).until(() -> ownsSendingTasks(mailer) && ownsSendingTasks(second));
        List<String> tenants = tenantsOverEveryPartition(3, 2);
        for (String t : tenants) {
            mailer.publishConfig(t, config(smtp.port(), ""));
        }
        List<String> firstIds = new ArrayList<>();
        for (String t : tenants) {
            for (int i = 0; i < 10; i++) {
                String id = t + "-a" + i;
                firstIds.add(id);
                mailer.publishEmail(id, email(id, "\"tenant\":\"" + t + "\""));
            }
        }
        await().atMost(WAIT).until(() -> smtp.receivedCount() >= firstIds.size());
        // The server has them; the instances record them at their next tick.
        await().atMost(WAIT).until(() -> sentBy(mailer, tenants) + sentBy(second, tenants) >= firstIds.size());
        double byFirst = sentBy(mailer, tenants);
        double bySecond = sentBy(second, tenants);
        assertThat(byFirst).as("both instances send").isPositive();
        assertThat(bySecond).isPositive();

        Instant stopped = Instant.now();
        mailer.stop();
        for (String t : tenants) {
            for (int i = 0; i < 10; i++) {
                String id = t + "-b" + i;
                second.publishEmail(id, email(id, "\"tenant\":\"" + t + "\""));
            }
        }
        await().atMost(WAIT).until(() -> smtp.receivedCount() >= 2 * firstIds.size());
        assertThat(Duration.between(stopped, Instant.now())).as("well before the 45 s session timeout")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(new HashSet<>(smtp.messageIds())).hasSize(smtp.receivedCount());
        assertThat(smtp.receivedCount()).isEqualTo(2 * firstIds.size());
    }

    private static boolean ownsSendingTasks(MailerHarness h) {
        return h.app().streams().state() == KafkaStreams.State.RUNNING && h.app().streams().metadataForLocalThreads()
                .stream().flatMap(t -> t.activeTasks().stream())
                .anyMatch(task -> task.taskId().subtopology() == 1);
    }

    private static double sentBy(MailerHarness h, List<String> tenants) {
        return tenants.stream().mapToDouble(t -> h.metrics.count(MailerMetrics.SENT, "tenant", t, "transport", "SMTP"))
                .sum();
    }

    /** Tenant names that the by-tenant repartition spreads over every partition, {@code perPartition} each. */
    private static List<String> tenantsOverEveryPartition(int partitions, int perPartition) {
        int[] count = new int[partitions];
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < partitions * perPartition; i++) {
            String t = "tenant" + i;
            int p = Utils.toPositive(Utils.murmur2(t.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (count[p] < perPartition) {
                count[p]++;
                out.add(t);
            }
        }
        return out;
    }
}
