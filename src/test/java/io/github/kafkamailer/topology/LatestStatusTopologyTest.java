package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code status-latest} store: fed by the status topic, one entry per (tenant, id), forgotten with retention. */
class LatestStatusTopologyTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private Topology topology;
    private TestInputTopic<byte[], byte[]> status;
    private TestInputTopic<byte[], byte[]> outbox;
    private TestInputTopic<String, String> config;
    private KeyValueStore<String, LatestStatus> store;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(topics, MailerMetrics.inMemory(),
                TopologyFixture.inlineSending(transport, topics, MailerMetrics.inMemory(), START),
                TopologyFixture.secrets(stateDir, Map.of()), stateDir, START, new Properties());
        topology = fixture.topology;
        driver = fixture.driver;
        status = driver.createInputTopic(topics.status(), new ByteArraySerializer(), new ByteArraySerializer(),
                START, Duration.ZERO);
        outbox = fixture.outbox;
        config = fixture.config;
        store = driver.getKeyValueStore(StoreNames.STATUS_LATEST_STORE);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void publish(String id, String tenant, Status s, Instant at) {
        status.pipeInput(id.getBytes(StandardCharsets.UTF_8), StatusEventJson.write(new StatusEvent(id, tenant, s, 1,
                at, TransportKind.SMTP, null)), at);
    }

    private StatusEvent latest(String id, String tenant) {
        LatestStatus s = store.get(LatestStatuses.key(id, tenant));
        return s == null ? null : StatusEventJson.parse(s.json());
    }

    private static String config(int retentionDays) {
        return TopologyFixture.tenantConfig("\"retentionDays\":" + retentionDays);
    }

    @Test
    void shouldKeepOnlyTheLatestStatusOfEachTenantAndIdApart() {
        publish("inv-1", "acme", Status.RETRY_SCHEDULED, START);
        publish("inv-1", "globex", Status.DEAD_LETTERED, START.plusSeconds(1));
        publish("inv-1", "acme", Status.SENT, START.plusSeconds(2));
        publish("inv-2", "acme", Status.SKIPPED, START.plusSeconds(3));

        assertThat(latest("inv-1", "acme").status()).isEqualTo(Status.SENT);
        assertThat(latest("inv-1", "globex").status()).isEqualTo(Status.DEAD_LETTERED);
        assertThat(latest("inv-2", "acme").status()).isEqualTo(Status.SKIPPED);
        assertThat(latest("inv-2", "globex")).isNull();
        assertThat(count(store)).isEqualTo(3);
        assertThat(count(driver.getKeyValueStore(StoreNames.STATUS_EXPIRY_STORE))).as("one expiry entry each")
                .isEqualTo(3);
    }

    @Test
    void shouldKeepTheStatusTheMailerItselfPublished() {
        config.pipeInput("default", config(30));
        outbox.pipeInput("e1".getBytes(StandardCharsets.UTF_8), ("{\"id\":\"e1\",\"tenant\":\"default\","
                + "\"from\":\"alice@example.com\",\"to\":[\"bob@example.com\"],\"subject\":\"Hi\",\"text\":\"Hi\"}")
                .getBytes(StandardCharsets.UTF_8));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(transport.sentIds()).containsExactly("e1");
        assertThat(latest("e1", "default").status()).isEqualTo(Status.SENT);
    }

    @Test
    void shouldForgetAStatusOnceItsTenantsRetentionEndsOrTheLongestForATenantWithoutConfig() {
        config.pipeInput("short", config(1));
        config.pipeInput("long", config(5));
        publish("a", "short", Status.SENT, START);
        publish("b", "long", Status.SENT, START);
        publish("c", "nobody", Status.SENT, START);

        driver.advanceWallClockTime(Duration.ofDays(1).minusMinutes(1));
        assertThat(latest("a", "short")).isNotNull();
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(latest("a", "short")).as("past the 1 day of its tenant").isNull();
        assertThat(latest("b", "long")).isNotNull();
        assertThat(latest("c", "nobody")).as("kept as long as the longest retention").isNotNull();

        driver.advanceWallClockTime(Duration.ofDays(4));
        assertThat(latest("b", "long")).isNull();
        assertThat(latest("c", "nobody")).isNull();
        assertThat(count(driver.getKeyValueStore(StoreNames.STATUS_EXPIRY_STORE))).isZero();
    }

    @Test
    void shouldForgetABoundedNumberOfEntriesPerPunctuation() {
        config.pipeInput("t", config(1));
        int n = LatestStatusProcessor.EXPIRED_PER_PUNCTUATION + 10;
        for (int i = 0; i < n; i++) {
            publish("id-" + i, "t", Status.SENT, START);
        }
        driver.advanceWallClockTime(Duration.ofDays(2));
        assertThat(count(store)).isEqualTo(10);
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(count(store)).isZero();
    }

    @Test
    void shouldSkipARecordThatIsNotAStatusEventAndGoOn() {
        status.pipeInput("x".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
        status.pipeInput(null, StatusEventJson.write(new StatusEvent("y", "t", Status.SENT, 1, START, null, null)));
        status.pipeInput("other".getBytes(StandardCharsets.UTF_8),
                StatusEventJson.write(new StatusEvent("z", "t", Status.SENT, 1, START, null, null)));
        publish("ok", "t", Status.SENT, START);

        assertThat(count(store)).isEqualTo(1);
        assertThat(latest("ok", "t").status()).isEqualTo(Status.SENT);
    }

    @Test
    void shouldNotRenumberTheSubTopologiesOfEarlierVersions() {
        // As before the status store: 0 = the config table (global), 1 = intake, 2 = sending. Task ids, and so the
        // state directories of a running deployment and its upgrade without a reset, depend on these numbers.
        assertThat(subTopologyOf("intake")).isEqualTo(1);
        assertThat(subTopologyOf("sending")).isEqualTo(2);
        assertThat(subTopologyOf("latest-status")).isEqualTo(3);
    }

    private int subTopologyOf(String processor) {
        for (TopologyDescription.Subtopology s : topology.describe().subtopologies()) {
            if (s.nodes().stream().anyMatch(n -> n.name().equals(processor))) {
                return s.id();
            }
        }
        throw new AssertionError("no processor " + processor);
    }

    private static long count(KeyValueStore<String, ?> s) {
        long n = 0;
        try (var it = s.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
