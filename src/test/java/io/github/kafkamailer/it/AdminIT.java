package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.ConfigConflictException;
import io.github.kafkamailer.admin.ConfigEdit;
import io.github.kafkamailer.admin.ConfigVersion;
import io.github.kafkamailer.admin.DeadLetter;
import io.github.kafkamailer.admin.DeadLetterAdmin;
import io.github.kafkamailer.admin.DeadLetterFilter;
import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.failure.DeadLetters;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin library (what the CLI and the console share) against a real broker. */
class AdminIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private MailerHarness harness;
    private Properties client;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void setUp() throws InterruptedException {
        harness = new MailerHarness(dir.resolve("state"));
        harness.createTopics();
        client = new Properties();
        client.setProperty("bootstrap.servers", SharedBroker.bootstrapServers());
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        producer.close(Duration.ofSeconds(5));
        harness.close();
    }

    @Test
    void shouldKeepTheLastValidRecordInForceAndListTheHistoryWithoutSecretValues() {
        try (ConfigAdmin admin = new ConfigAdmin(client, harness.topics, TIMEOUT)) {
            assertThat(admin.inForce("acme")).isEmpty();
            MailerConfig v1 = ConfigJson.parse(MailerHarness.config(2525, "\"smtpUser\":\"u\",\"smtpPassword\":\"pw-one-1\"")
                    .getBytes(StandardCharsets.UTF_8));
            ConfigVersion first = admin.publish("acme", v1);
            assertThat(first.changedFields()).contains("enabled", "smtpHost", "smtpPassword");

            MailerConfig v2 = ConfigEdit.apply(v1, Map.of("campaignIntervalSeconds", "60", "smtpPassword", "pw-two-2"),
                    Set.of());
            ConfigVersion second = admin.publish("acme", v2);
            assertThat(second.changedFields()).containsExactly("smtpPassword", "campaignIntervalSeconds");
            assertThat(second.offset()).isGreaterThan(first.offset());

            harness.publishConfig("acme", "{\"enabled\":true,\"smtpPort\":0}");
            harness.publishConfig("gone", MailerHarness.config(25, ""));
            harness.send(harness.topics.config(), "gone", null);
            harness.publishConfig("beta", MailerHarness.config(25, ""));

            ConfigVersion inForce = admin.inForce("acme").orElseThrow();
            assertThat(inForce.config().campaignIntervalSeconds()).isEqualTo(60);
            assertThat(inForce.config().smtpPassword().reveal()).isEqualTo("pw-two-2");
            assertThat(admin.rejectedAfterInForce("acme")).get().asString().contains("smtpPort");
            assertThat(admin.rejectedAfterInForce("beta")).isEmpty();

            List<ConfigVersion> history = admin.history("acme");
            assertThat(history).extracting(ConfigVersion::offset).containsExactly(first.offset(), second.offset());
            assertThat(history.toString()).doesNotContain("pw-one-1").doesNotContain("pw-two-2");
            assertThat(admin.tenants()).containsExactly("acme", "beta");
            assertThat(admin.inForce("gone")).isEmpty();

            assertThatThrownBy(() -> admin.publish("", v1)).isInstanceOf(InvalidRecordException.class);
        }
    }

    @Test
    void shouldRefuseAChangeMadeFromAVersionThatIsNoLongerInForce() {
        try (ConfigAdmin admin = new ConfigAdmin(client, harness.topics, TIMEOUT)) {
            ConfigAdmin.Current none = admin.current("acme");
            assertThat(none.version()).isEqualTo(ConfigAdmin.NO_VERSION);
            MailerConfig v1 = ConfigJson.parse(MailerHarness.config(2525, "").getBytes(StandardCharsets.UTF_8));
            ConfigVersion first = admin.publish("acme", v1, none.version());
            assertThatThrownBy(() -> admin.publish("acme", v1, ConfigAdmin.NO_VERSION))
                    .as("two admins creating the same tenant").isInstanceOf(ConfigConflictException.class);

            // Two edits read the same version; the first is published, the second would undo it.
            ConfigAdmin.Current alice = admin.current("acme");
            ConfigAdmin.Current bob = admin.current("acme");
            assertThat(alice.version()).isEqualTo(first.offset()).isEqualTo(bob.version());
            ConfigVersion alices = admin.publish("acme",
                    ConfigEdit.apply(alice.config(), Map.of("campaignIntervalSeconds", "60"), Set.of()),
                    alice.version());
            MailerConfig bobsEdit = ConfigEdit.apply(bob.config(), Map.of("smtpHost", "smtp.bob.example"), Set.of());
            assertThatThrownBy(() -> admin.publish("acme", bobsEdit, bob.version()))
                    .isInstanceOf(ConfigConflictException.class)
                    .hasMessageContaining("tenant 'acme'")
                    .hasMessageContaining("at version " + first.offset())
                    .hasMessageContaining("version " + alices.offset())
                    .hasMessageContaining("campaignIntervalSeconds")
                    .hasMessageContaining("Nothing was published");
            assertThat(admin.history("acme")).extracting(ConfigVersion::offset)
                    .containsExactly(first.offset(), alices.offset());

            // An invalid record changes nothing in force: an edit made before it still goes through.
            ConfigAdmin.Current carol = admin.current("acme");
            harness.publishConfig("acme", "{\"enabled\":true,\"smtpPort\":0}");
            assertThat(admin.current("acme").version()).isEqualTo(carol.version());
            ConfigVersion carols = admin.publish("acme",
                    ConfigEdit.apply(carol.config(), Map.of("smtpHost", "smtp.carol.example"), Set.of()),
                    carol.version());
            assertThat(carols.changedFields()).containsExactly("smtpHost");

            // A removal is a change too.
            ConfigAdmin.Current dave = admin.current("acme");
            admin.remove("acme");
            assertThatThrownBy(() -> admin.publish("acme", dave.config(), dave.version()))
                    .isInstanceOf(ConfigConflictException.class).hasMessageContaining("removed");
            assertThat(admin.inForce("acme")).isEmpty();
        }
    }

    @Test
    void shouldListTheNewestDeadLettersFilteredAndMarkThoseSentLater() throws Exception {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        for (int i = 0; i < 30; i++) {
            String tenant = i % 2 == 0 ? "acme" : "beta";
            deadLetter("dl-" + i, "{\"id\":\"dl-" + i + "\",\"tenant\":\"" + tenant + "\"}",
                    i % 3 == 0 ? DeadLetterKind.INVALID : DeadLetterKind.PERMANENT, "550 no such user " + i,
                    t0.plusSeconds(i));
        }
        deadLetter("unparsable", "not json", DeadLetterKind.INVALID, "value: is not a JSON object", t0.plusSeconds(40));
        status("dl-28", "acme", Status.DEAD_LETTERED, t0.plusSeconds(28));
        status("dl-28", "acme", Status.SENT, t0.plusSeconds(100));
        status("dl-26", "beta", Status.SENT, t0.plusSeconds(100));   // another tenant's email with that id
        status("dl-24", "acme", Status.SENT, t0.plusSeconds(1));     // sent before it was dead-lettered

        try (DeadLetterAdmin admin = new DeadLetterAdmin(client, harness.topics, TIMEOUT)) {
            List<DeadLetter> newest = admin.list(DeadLetterFilter.newest(5));
            assertThat(newest).extracting(DeadLetter::id).containsExactly("dl-26", "dl-27", "dl-28", "dl-29", "unparsable");
            assertThat(newest.get(4).tenant()).isEqualTo("unknown");

            List<DeadLetter> acme = admin.list(new DeadLetterFilter("acme", "permanent", null, 100));
            assertThat(acme).extracting(DeadLetter::id).containsExactly("dl-2", "dl-4", "dl-8", "dl-10", "dl-14",
                    "dl-16", "dl-20", "dl-22", "dl-26", "dl-28");
            assertThat(acme).filteredOn(DeadLetter::laterSent).extracting(DeadLetter::id).containsExactly("dl-28");
            DeadLetter d = acme.get(acme.size() - 1);
            assertThat(d.reason()).isEqualTo("550 no such user 28");
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.kind()).isEqualTo("PERMANENT");

            List<DeadLetter> since = admin.list(new DeadLetterFilter(null, null, t0.plusSeconds(27), 100));
            assertThat(since).extracting(DeadLetter::id).containsExactly("dl-27", "dl-28", "dl-29", "unparsable");

            assertThat(admin.find("acme", "dl-28")).get().extracting(DeadLetter::laterSent).isEqualTo(true);
            assertThat(admin.find("beta", "dl-7")).get().extracting(DeadLetter::laterSent).isEqualTo(false);
            assertThat(admin.find("acme", "nope")).isEmpty();

            assertThat(admin.replay(since)).isEqualTo(4);
            MailerHarness.TopicReader outbox = harness.reader(harness.topics.outbox());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.poll().size() == 4);
            ConsumerRecord<byte[], byte[]> replayed = outbox.poll().get(0);
            assertThat(replayed.headers().toArray()).isEmpty();
        }
    }

    @Test
    void shouldFollowNewDeadLettersAfterTheListing() throws Exception {
        deadLetter("old", "{\"id\":\"old\"}", DeadLetterKind.EXPIRED, "timed out", Instant.now());
        try (DeadLetterAdmin admin = new DeadLetterAdmin(client, harness.topics, TIMEOUT)) {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<Void> following = CompletableFuture.runAsync(() ->
                    admin.follow(DeadLetterFilter.newest(10), l -> seen.add(l.id()), () -> !seen.contains("new")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("old"));
            deadLetter("new", "{\"id\":\"new\"}", DeadLetterKind.EXPIRED, "timed out", Instant.now());
            following.get(20, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("old", "new");
        }
        // Without a status topic (a process config naming only some topics), the letters are still listed.
        var noStatus = new io.github.kafkamailer.model.TopicNames(harness.topics.outbox(), harness.topics.config(),
                harness.topics.retry(), harness.topics.dlq(), "no-such-status-topic", harness.topics.templates(),
                harness.topics.suppressions());
        try (DeadLetterAdmin admin = new DeadLetterAdmin(client, noStatus, TIMEOUT)) {
            assertThat(admin.list(DeadLetterFilter.newest(10))).extracting(DeadLetter::id).containsExactly("old", "new");
        }
    }

    @Test
    void shouldReadOneEmailsStatusHistoryAndWaitForItsFinalStatus() throws Exception {
        Instant t0 = Instant.now();
        status("e-1", "acme", Status.RETRY_SCHEDULED, t0);
        status("e-2", "acme", Status.SENT, t0);
        status("e-1", "other", Status.SENT, t0);
        try (StatusAdmin admin = new StatusAdmin(client, harness.topics, TIMEOUT)) {
            assertThat(admin.history("e-1", null)).extracting(StatusEvent::status)
                    .containsExactly(Status.RETRY_SCHEDULED, Status.SENT);
            assertThat(admin.history("e-1", "acme")).extracting(StatusEvent::status)
                    .containsExactly(Status.RETRY_SCHEDULED);
            StatusAdmin.Mark mark = admin.mark("e-1");
            assertThat(admin.awaitFinal("e-1", "acme", mark, Duration.ofMillis(500))).isEmpty();
            CompletableFuture<java.util.Optional<StatusEvent>> waiting = CompletableFuture.supplyAsync(() ->
                    admin.awaitFinal("e-1", "acme", mark, Duration.ofSeconds(20)));
            status("e-1", "acme", Status.DEAD_LETTERED, t0.plusSeconds(5));
            assertThat(waiting.get(25, TimeUnit.SECONDS)).get().extracting(StatusEvent::status)
                    .isEqualTo(Status.DEAD_LETTERED);
        }
    }

    @Test
    void shouldKeepTheSameIdInTwoTenantsApartAndFindALetterByItsPlace() throws Exception {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        deadLetter("inv-1", "{\"id\":\"inv-1\",\"tenant\":\"acme\"}", DeadLetterKind.PERMANENT, "acme's", t0);
        deadLetter("inv-1", "{\"id\":\"inv-1\",\"tenant\":\"beta\"}", DeadLetterKind.PERMANENT, "beta's 1",
                t0.plusSeconds(1));
        deadLetter("inv-1", "{\"id\":\"inv-1\",\"tenant\":\"beta\"}", DeadLetterKind.EXPIRED, "beta's 2",
                t0.plusSeconds(2));
        status("inv-1", "beta", Status.SENT, t0.plusSeconds(100));

        try (DeadLetterAdmin admin = new DeadLetterAdmin(client, harness.topics, TIMEOUT)) {
            List<DeadLetter> both = admin.latestOfEachTenant("inv-1");
            assertThat(both).extracting(DeadLetter::tenant, DeadLetter::reason, DeadLetter::laterSent).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("acme", "acme's", false),
                    org.assertj.core.groups.Tuple.tuple("beta", "beta's 2", true));
            assertThat(admin.find("acme", "inv-1")).get().extracting(DeadLetter::reason).isEqualTo("acme's");
            assertThat(admin.find("gamma", "inv-1")).isEmpty();

            DeadLetter first = admin.list(DeadLetterFilter.newest(10)).get(0);
            assertThat(admin.at(first.partition(), first.offset())).get().extracting(DeadLetter::reason)
                    .isEqualTo("acme's");
            assertThat(admin.at(first.partition(), first.offset() + 100)).isEmpty();
            assertThat(admin.at(999, 0)).isEmpty();
        }
    }

    @Test
    void shouldListCutValuesAndReplayAChunkAtATimeWithTheWholeValues() throws Exception {
        Instant t0 = Instant.now().minusSeconds(60);
        String big = "{\"id\":\"big\",\"tenant\":\"acme\",\"text\":\"" + "x".repeat(900 * 1024) + "\"}";
        deadLetter("big", big, DeadLetterKind.PERMANENT, "552 too big", t0);
        for (int i = 0; i < 10; i++) {
            deadLetter("r-" + i, "{\"id\":\"r-" + i + "\",\"tenant\":\"acme\"}", DeadLetterKind.PERMANENT,
                    "550 no", t0.plusSeconds(1 + i));
        }
        var access = new io.github.kafkamailer.admin.KafkaAccess(client, TIMEOUT);
        try (DeadLetterAdmin admin = new DeadLetterAdmin(access, harness.topics, 3)) {
            List<DeadLetter> listed = admin.list(DeadLetterFilter.newest(100), 4096);
            assertThat(listed).hasSize(11);
            assertThat(listed.get(0).value()).hasSize(4096);
            assertThat(listed.get(0).valueCut()).isTrue();
            assertThat(listed.get(0).valueBytes()).isEqualTo(big.length());

            List<Integer> progress = new java.util.ArrayList<>();
            assertThat(admin.replay(listed, progress::add)).isEqualTo(11);
            // Each chunk held at most 3 letters: the published count grows by 3 at most between reports.
            assertThat(progress).containsExactly(3, 6, 9, 11);
            MailerHarness.TopicReader outbox = harness.reader(harness.topics.outbox());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.poll().size() == 11);
            ConsumerRecord<byte[], byte[]> first = outbox.poll().stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("big")).findFirst().orElseThrow();
            assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(big);
        }
    }

    private void deadLetter(String id, String value, DeadLetterKind kind, String reason, Instant at) throws Exception {
        var headers = DeadLetters.headers(new RecordHeaders(), kind, reason, kind == DeadLetterKind.INVALID ? 0 : 1,
                kind == DeadLetterKind.INVALID ? null : at, harness.topics.outbox() + "/0/1");
        producer.send(new ProducerRecord<>(harness.topics.dlq(), null, at.toEpochMilli(),
                id.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), headers))
                .get(30, TimeUnit.SECONDS);
    }

    private void status(String id, String tenant, Status status, Instant at) throws Exception {
        byte[] json = StatusEventJson.write(new StatusEvent(id, tenant, status, 1, at, TransportKind.SMTP,
                status == Status.SENT ? null : "why"));
        producer.send(new ProducerRecord<>(harness.topics.status(), null, at.toEpochMilli(),
                id.getBytes(StandardCharsets.UTF_8), json)).get(30, TimeUnit.SECONDS);
    }
}
