package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emails of a tenant without a config: they wait for one up to the default {@code retentionDays}, then are
 * dead-lettered as EXPIRED; and however many tenant names producers invent, the meters stay few.
 */
class UnconfiguredTenantsTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MailerMetrics metrics = new MailerMetrics(registry);
    private TopologyFixture fixture;

    @BeforeEach
    void start() {
        fixture = TopologyFixture.inline(transport, topics, metrics, stateDir, START);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String config() {
        return TopologyFixture.tenantConfig("");
    }

    private void publish(String id, String tenant) {
        fixture.outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                TopologyFixture.email(id, tenant).getBytes(StandardCharsets.UTF_8));
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeadLetterTheEmailsOfATenantWithoutConfigAsExpiredOnceTheDefaultRetentionHasPassed() {
        fixture.config.pipeInput("default", config());
        publish("g1", "ghost");
        publish("g2", "ghost");
        publish("d1", "default");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("d1");

        fixture.driver.advanceWallClockTime(Duration.ofDays(29));
        assertThat(fixture.dlq.isEmpty()).as("still within the 30 days").isTrue();
        assertThat(metrics.pending("ghost")).isEqualTo(2);

        fixture.driver.advanceWallClockTime(Duration.ofDays(1).plusMinutes(1));
        List<TestRecord<byte[], byte[]>> dead = fixture.dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead).allSatisfy(r -> {
            assertThat(header(r, DeadLetterHeaders.KIND)).isEqualTo("EXPIRED");
            assertThat(header(r, DeadLetterHeaders.MESSAGE)).contains("no config for tenant 'ghost' within 30 days");
        });
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("g1", "g2");
        assertThat(fixture.status.readValuesToList().stream().map(StatusEventJson::parse)
                .filter(s -> s.tenant().equals("ghost")).map(StatusEvent::status)).containsOnly(Status.DEAD_LETTERED);
        assertThat(metrics.pending("ghost")).isZero();
        assertThat(metrics.count(MailerMetrics.DEAD_LETTERED, "tenant", MailerMetrics.UNCONFIGURED_TENANT,
                "kind", "expired")).isEqualTo(2);
        assertThat(transport.sentIds()).containsExactly("d1");
    }

    @Test
    void shouldSendTheEmailsOfATenantWhoseConfigArrivesWithinTheRetention() {
        publish("l1", "late");
        fixture.driver.advanceWallClockTime(Duration.ofDays(10));
        assertThat(transport.sent).isEmpty();

        fixture.config.pipeInput("late", config());
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("l1");
        fixture.driver.advanceWallClockTime(Duration.ofDays(31));
        assertThat(fixture.dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepTheMeterSeriesBoundedHoweverManyTenantsWithoutConfigProducersInvent() {
        fixture.config.pipeInput("default", config());
        for (int i = 0; i < 5000; i++) {
            publish("x" + i, "invented-" + i);
        }
        publish("d1", "default");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(tenantLabels()).containsExactlyInAnyOrder("default", MailerMetrics.UNKNOWN_TENANT,
                MailerMetrics.UNCONFIGURED_TENANT);
        assertThat(registry.find(MailerMetrics.PENDING).tag("tenant", MailerMetrics.UNCONFIGURED_TENANT).gauge()
                .value()).isEqualTo(5000);

        // Bounded work per punctuation: a few punctuations dead-letter them all, still under one label.
        for (int i = 0; i < 5; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofDays(31));
        }
        assertThat(fixture.dlq.readRecordsToList()).hasSize(5000);
        assertThat(registry.find(MailerMetrics.PENDING).tag("tenant", MailerMetrics.UNCONFIGURED_TENANT).gauge()
                .value()).isZero();
        assertThat(tenantLabels()).containsExactlyInAnyOrder("default", MailerMetrics.UNKNOWN_TENANT,
                MailerMetrics.UNCONFIGURED_TENANT);
        assertThat(registry.getMeters()).as("meters in all").hasSizeLessThan(60);
        assertThat(registry.scrape()).doesNotContain("invented-");
    }

    @Test
    void shouldGoOnInsideOneTenantWhereTheLastPunctuationStopped() {
        fixture.config.pipeInput("a-configured", config());
        for (int i = 0; i < 4500; i++) {
            publish("b" + i, "bulk");
        }
        publish("c1", "c-ghost");
        fixture.driver.advanceWallClockTime(Duration.ofDays(31));
        assertThat(fixture.dlq.readRecordsToList().size()).as("one punctuation's worth, not all")
                .isBetween(1, UnconfiguredExpiry.PER_PUNCTUATION);
        for (int i = 0; i < 3; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        }
        assertThat(metrics.pending("bulk")).isZero();
        assertThat(metrics.pending("c-ghost")).isZero();
    }

    private Set<String> tenantLabels() {
        return registry.getMeters().stream().map(Meter::getId).map(id -> id.getTag("tenant"))
                .filter(t -> t != null).collect(Collectors.toSet());
    }
}
