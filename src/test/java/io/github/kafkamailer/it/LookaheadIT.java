package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.MailerSettings;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read ahead of a lagging intake on the real mailer: HIGH emails published behind a backlog of normal ones are
 * handed to their sending task ahead of the intake (in memory here, the task runs in the same process), and each
 * is sent once, though the intake takes it in too (in memory and through the HIGH repartition).
 */
class LookaheadIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** More than the look-ahead's threshold (200 records behind), of a tenant without config: they stay pending. */
    private static final int BACKLOG = 3000;
    private static final List<String> URGENT = List.of("acme-first", "acme-second", "globex-only");

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

    private static String normal(String id, String tenant) {
        return email(id, "\"tenant\":\"" + tenant + "\"");
    }

    private static String high(String id) {
        return email(id, "\"tenant\":\"" + id.substring(0, id.indexOf('-')) + "\",\"priority\":\"HIGH\"");
    }

    private void configureTenants() {
        mailer.publishConfig("acme", MailerHarness.config(smtp.port(), ""));
        mailer.publishConfig("globex", MailerHarness.config(smtp.port(), ""));
    }

    private void publishBacklog() {
        mailer.publishEmails(IntStream.range(0, BACKLOG).mapToObj(i -> "backlog-" + i).toList(),
                id -> normal(id, "waiting"));
    }

    private double duplicates() {
        return mailer.metrics.registry().find(MailerMetrics.DUPLICATES).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static boolean sent(MailerHarness.TopicReader status, List<String> ids) {
        List<StatusEvent> all = status.statuses();
        return ids.stream().allMatch(id -> all.stream().anyMatch(s -> s.id().equals(id) && s.status() == Status.SENT));
    }

    /** Each email has one status, SENT, and reached the SMTP server once. */
    private void assertSentOnce(MailerHarness.TopicReader status, List<String> ids) {
        for (String id : ids) {
            assertThat(status.statuses()).filteredOn(s -> s.id().equals(id)).extracting(StatusEvent::status)
                    .as("statuses of %s", id).containsExactly(Status.SENT);
            assertThat(smtp.received()).filteredOn(r -> r.message().contains("Subject " + id))
                    .as("copies of %s received", id).hasSize(1);
        }
    }

    @Test
    void shouldSendEachHighEmailOnceThoughTheLookaheadForwardedItAheadOfTheIntake() throws Exception {
        mailer.createTopics();
        configureTenants();
        mailer.start();
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        String appId = mailer.settings().get(StreamsConfig.APPLICATION_ID_CONFIG, null);
        String highTopic = appId + "-" + StoreNames.BY_TENANT_HIGH + "-repartition";
        // Sent, so committed: the intake has an offset the look-ahead compares the outbox's end with.
        mailer.publishEmail("acme-warmup", normal("acme-warmup", "acme"));
        await().atMost(WAIT).until(() -> sent(status, List.of("acme-warmup")));
        double duplicatesBefore = duplicates();

        // The intake held still (Kafka Streams paused: no task processes; the look-ahead's thread is not Streams'),
        // so it is behind by the whole backlog when the look-ahead looks, however fast it would read.
        KafkaStreams streams = mailer.app().streams();
        streams.pause();
        publishBacklog();
        for (String id : URGENT) {
            mailer.publishEmail(id, high(id));
        }
        await().atMost(WAIT).until(() -> mailer.app().highLookaheadForwarded() == URGENT.size());
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(status.statuses()).noneMatch(s -> URGENT.contains(s.id()));
        streams.resume();

        await().atMost(WAIT).until(() -> sent(status, URGENT));
        // Both copies of each taken in: the intake read the whole outbox, the sending task past the last copy.
        try (Admin admin = mailer.admin()) {
            await().atMost(WAIT).until(() -> bothCopiesTakenIn(admin, appId, highTopic));
        }
        // The tenants' next HIGH emails are read after what is pending of theirs (older, so first in their range):
        // once these are sent, a second copy left pending would have been counted a duplicate.
        List<String> after = List.of("acme-after", "globex-after");
        for (String id : after) {
            mailer.publishEmail(id, high(id));
        }
        await().atMost(WAIT).until(() -> sent(status, after));

        assertSentOnce(status, URGENT);
        assertSentOnce(status, after);
        assertThat(duplicates()).isEqualTo(duplicatesBefore);
        // More if it still read when the last ones came (it looks at the intake's offsets every 250 ms): one copy
        // each of those was kept too.
        assertThat(mailer.app().highLookaheadForwarded()).isGreaterThanOrEqualTo(URGENT.size());
        assertThat(mailer.fatal).isEmpty();
    }

    /**
     * True once the application's committed offsets reached the end of the outbox (the intake read it all, and wrote
     * its copies) and of the HIGH repartition (the sending task took in every copy there). The copies handed in
     * memory went in at the task's ticks, long before.
     */
    private boolean bothCopiesTakenIn(Admin admin, String appId, String highTopic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> inputs = new HashMap<>();
        for (String topic : List.of(mailer.topics.outbox(), highTopic)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> inputs.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(inputs,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
        return inputs.keySet().stream().allMatch(tp -> committed.get(tp) != null
                && committed.get(tp).offset() >= ends.get(tp).offset());
    }

    @Test
    void shouldSendAHighEmailOnceWithTheLookaheadOff() throws Exception {
        mailer.withProperty(MailerSettings.HIGH_LOOKAHEAD, "false");
        mailer.createTopics();
        configureTenants();
        publishBacklog();
        for (String id : URGENT) {
            mailer.publishEmail(id, high(id));
        }
        mailer.start();
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());

        await().atMost(WAIT).until(() -> sent(status, URGENT));

        assertSentOnce(status, URGENT);
        assertThat(duplicates()).isZero();
        assertThat(mailer.app().highLookaheadForwarded()).isZero();
    }
}
