package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.failure.ServerFault;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.testing.TransportByHost;
import io.github.kafkamailer.transport.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose server is unusable sends through the tenant's fallback SMTP server (CONTRACT.md,
 * {@code fallbackSmtpHost}), through the whole topology: the statuses say which server took each email, the
 * failover is counted once per run, the next run tries the primary again, and a recipient's refusal never fails
 * over.
 */
class FailoverTopologyTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final String PRIMARY = "127.0.0.1";
    private static final String FALLBACK = "relay.example.net";
    private static final String WITH_FALLBACK = "\"fallbackSmtpHost\":\"" + FALLBACK + "\",\"fallbackSmtpPort\":2525,"
            + "\"fallbackSmtpUser\":\"relay\",\"fallbackSmtpPassword\":\"${env:MAILER_FALLBACK_PW}\"";

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final TransportByHost transport = new TransportByHost();
    private TopologyFixture fixture;

    private static SendOutcome delivered() {
        return new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
    }

    private static SendOutcome refusedConnection() {
        return new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT, "cannot connect: Connection refused",
                true, null, ServerFault.UNREACHABLE);
    }

    @BeforeEach
    void start() {
        transport.answers.put(PRIMARY, e -> delivered());
        transport.answers.put(FALLBACK, e -> delivered());
        fixture = TopologyFixture.inline(transport, topics, metrics, stateDir, START,
                Map.of("MAILER_FALLBACK_PW", "fa11back-pw"), TopologyFixture.withGlobalProcessingHandler());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void publish(String id) {
        fixture.outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                TopologyFixture.email(id, "default").getBytes(StandardCharsets.UTF_8));
    }

    private List<StatusEvent> statuses() {
        return fixture.status.readValuesToList().stream().map(StatusEventJson::parse).toList();
    }

    private double failovers() {
        return metrics.count(MailerMetrics.FAILOVERS, "tenant", "default");
    }

    @Test
    void shouldSendThroughTheFallbackWhenThePrimaryRefusesTheConnectionAndThePrimaryAgainNextRun() {
        fixture.config.pipeInput("default", TopologyFixture.tenantConfig(WITH_FALLBACK));
        transport.answers.put(PRIMARY, e -> refusedConnection());
        publish("e1");
        publish("e2");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(statuses()).extracting(StatusEvent::id, StatusEvent::status, StatusEvent::attempts,
                StatusEvent::server).containsExactly(
                org.assertj.core.groups.Tuple.tuple("e1", Status.SENT, 1, StatusEvent.FALLBACK_SERVER),
                org.assertj.core.groups.Tuple.tuple("e2", Status.SENT, 1, StatusEvent.FALLBACK_SERVER));
        assertThat(transport.sends).as("the failing email at once through the fallback; the primary once per run")
                .containsExactly(PRIMARY + ":e1", FALLBACK + ":e1", FALLBACK + ":e2");
        MailerConfig fallback = transport.opened.get(transport.opened.size() - 1);
        assertThat(fallback.smtpPort()).isEqualTo(2525);
        assertThat(fallback.smtpPassword().reveal()).as("its reference resolved").isEqualTo("fa11back-pw");
        assertThat(failovers()).as("one run failed over").isEqualTo(1);

        transport.answers.put(PRIMARY, e -> delivered());
        publish("e3");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(21));

        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("e3");
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.server()).isEqualTo(StatusEvent.PRIMARY_SERVER);
        });
        assertThat(transport.sends).endsWith(PRIMARY + ":e3");
        assertThat(failovers()).isEqualTo(1);
    }

    @Test
    void shouldNotFailOverWhenTheRecipientIsRefused() {
        fixture.config.pipeInput("default", TopologyFixture.tenantConfig(WITH_FALLBACK));
        transport.answers.put(PRIMARY, e -> new SendOutcome.Failed(TransportKind.SMTP, FailureClass.PERMANENT,
                "550 5.1.1 <bob@example.com>: no such user", false));
        publish("e1");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.DEAD_LETTERED);
            assertThat(s.server()).isNull();
        });
        assertThat(transport.sends).containsExactly(PRIMARY + ":e1");
        assertThat(failovers()).isZero();
    }

    @Test
    void shouldSayPrimaryWhenThePrimaryTakesItAndNoServerWithoutAFallback() {
        fixture.config.pipeInput("default", TopologyFixture.tenantConfig(WITH_FALLBACK));
        publish("e1");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(statuses()).singleElement().extracting(StatusEvent::server).isEqualTo(StatusEvent.PRIMARY_SERVER);

        fixture.config.pipeInput("default", TopologyFixture.tenantConfig(""));
        publish("e2");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(21));
        assertThat(fixture.status.readValuesToList()).singleElement()
                .satisfies(json -> assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"SENT\"")
                        .as("written only when set").doesNotContain("server"));
    }

    @Test
    void shouldKeepTodaysBehaviourWithoutAFallback() {
        fixture.config.pipeInput("default", TopologyFixture.tenantConfig(""));
        transport.answers.put(PRIMARY, e -> refusedConnection());
        publish("e1");
        publish("e2");
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(statuses()).extracting(StatusEvent::id, StatusEvent::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("e1", Status.RETRY_SCHEDULED));
        assertThat(transport.sends).as("the run stopped at the unusable server").containsExactly(PRIMARY + ":e1");
        assertThat(failovers()).isZero();
    }
}
