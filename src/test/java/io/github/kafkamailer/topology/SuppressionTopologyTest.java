package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The suppressions table and the check at hand-out (CONTRACT.md, "Suppression record"). */
class SuppressionTopologyTest {
    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(SuppressionTableProcessor.class);
    private TopologyFixture fixture;
    private TestInputTopic<String, byte[]> suppressions;

    @BeforeEach
    void start() {
        logged.start();
        log.addAppender(logged);
        fixture = TopologyFixture.inline(transport, topics, metrics, stateDir, START);
        suppressions = fixture.driver.createInputTopic(topics.suppressions(), new StringSerializer(),
                new ByteArraySerializer());
        fixture.config.pipeInput("acme", TopologyFixture.tenantConfig(""));
    }

    @AfterEach
    void stop() {
        fixture.close();
        log.detachAppender(logged);
    }

    private void suppress(String tenant, String address, SuppressionReason reason) {
        Suppression s = new Suppression(tenant, address, reason, START);
        suppressions.pipeInput(s.key(), SuppressionJson.write(s));
    }

    private void publish(String id, String to, String cc) {
        String json = "{\"id\":\"" + id + "\",\"tenant\":\"acme\",\"from\":\"alice@example.com\",\"to\":[" + to
                + "]" + (cc == null ? "" : ",\"cc\":[" + cc + "]") + ",\"subject\":\"Hi\",\"text\":\"Hi\"}";
        fixture.outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    private void tick() {
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(21));
    }

    private List<StatusEvent> statuses() {
        return fixture.status.readValuesToList().stream().map(StatusEventJson::parse).toList();
    }

    private double suppressedCount() {
        return metrics.count(MailerMetrics.SUPPRESSED, "tenant", "acme");
    }

    @Test
    void shouldSendNothingAndPublishSuppressedWhenEveryRecipientIsSuppressed() {
        suppress("acme", "bob@example.com", SuppressionReason.MANUAL);
        suppress("acme", "carol@example.com", SuppressionReason.BOUNCED);
        publish("e1", "\"Bob <BOB@Example.com>\"", "\"carol@example.com\"");
        tick();

        assertThat(transport.sent).isEmpty();
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("e1");
            assertThat(s.status()).isEqualTo(Status.SUPPRESSED);
            assertThat(s.error()).contains("bob@example.com", "carol@example.com");
        });
        assertThat(fixture.retryOut.isEmpty()).isTrue();
        assertThat(fixture.dlq.isEmpty()).isTrue();
        assertThat(suppressedCount()).isEqualTo(1);

        // Done, like a sent email: the same (tenant, id) again is a duplicate, even once the suppression is lifted.
        suppressions.pipeInput("acme/bob@example.com", (byte[]) null);
        publish("e1", "\"bob@example.com\"", null);
        tick();
        assertThat(transport.sent).isEmpty();
        assertThat(statuses()).isEmpty();
    }

    @Test
    void shouldSendToTheOthersAndNameTheSuppressedInSent() {
        suppress("acme", "bob@example.com", SuppressionReason.COMPLAINED);
        publish("e1", "\"bob@example.com\",\"dave@example.com\"", "\"carol@example.com\"");
        tick();

        assertThat(transport.sent).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("e1");
            assertThat(recipients(e)).containsExactly("dave@example.com", "carol@example.com");
        });
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.suppressed()).containsExactly("bob@example.com");
        });
        assertThat(suppressedCount()).isZero();
    }

    @Test
    void shouldStillNameTheSuppressedInTheSentOfARetryOfDeferredRecipients() {
        suppress("acme", "bob@example.com", SuppressionReason.COMPLAINED);
        // The server takes dave and defers carol the first time, then takes carol.
        transport.answer = e -> transport.sent.isEmpty()
                ? new io.github.kafkamailer.transport.SendOutcome.Delivered(io.github.kafkamailer.model.TransportKind.SMTP,
                        java.time.Instant.now(), List.of(), List.of("carol@example.com"), "452 4.2.2 mailbox full")
                : new io.github.kafkamailer.transport.SendOutcome.Delivered(io.github.kafkamailer.model.TransportKind.SMTP,
                        java.time.Instant.now(), List.of());
        publish("e1", "\"bob@example.com\",\"dave@example.com\"", "\"carol@example.com\"");
        tick();
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.RETRY_SCHEDULED);

        // The retry goes round the retry topic, as the broker would bring it back.
        List<StatusEvent> later = new java.util.ArrayList<>();
        for (int i = 0; i < 10 && later.stream().noneMatch(s -> s.status() == Status.SENT); i++) {
            while (!fixture.retryOut.isEmpty()) {
                fixture.retryIn.pipeInput(fixture.retryOut.readRecord());
            }
            tick();
            later.addAll(statuses());
        }

        assertThat(transport.sent).hasSize(2);
        assertThat(recipients(transport.sent.get(1))).doesNotContain("bob@example.com");
        assertThat(later).filteredOn(s -> s.status() == Status.SENT).singleElement()
                .satisfies(s -> assertThat(s.suppressed()).containsExactly("bob@example.com"));
    }

    @Test
    void shouldNotApplyAnUnsubscribeToAnEmailWithoutUnsubscribe() {
        suppress("acme", "bob@example.com", SuppressionReason.UNSUBSCRIBED);
        publish("e1", "\"bob@example.com\"", null);
        tick();

        assertThat(transport.sentIds()).containsExactly("e1");
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.suppressed()).isEmpty();
        });
    }

    @Test
    void shouldApplyAnUnsubscribeToAnEmailThatCarriesUnsubscribe() {
        suppress("acme", "bob@example.com", SuppressionReason.UNSUBSCRIBED);
        String json = "{\"id\":\"e1\",\"tenant\":\"acme\",\"from\":\"alice@example.com\","
                + "\"to\":[\"bob@example.com\"],\"subject\":\"News\",\"text\":\"Hi\","
                + "\"unsubscribe\":{\"url\":\"https://example.com/leave?u=bob\"}}";
        fixture.outbox.pipeInput("e1".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
        tick();

        assertThat(transport.sentIds()).isEmpty();
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.SUPPRESSED);
    }

    @Test
    void shouldSendAgainOnceATombstoneLiftsTheSuppression() {
        suppress("acme", "bob@example.com", SuppressionReason.MANUAL);
        publish("e1", "\"bob@example.com\"", null);
        tick();
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.SUPPRESSED);

        suppressions.pipeInput("acme/bob@example.com", (byte[]) null);
        publish("e2", "\"bob@example.com\"", null);
        tick();
        assertThat(transport.sentIds()).containsExactly("e2");
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.SENT);
    }

    @Test
    void shouldOnlySuppressWithinItsOwnTenant() {
        suppress("other", "bob@example.com", SuppressionReason.MANUAL);
        publish("e1", "\"bob@example.com\"", null);
        tick();
        assertThat(transport.sentIds()).containsExactly("e1");
    }

    @Test
    void shouldIgnoreAnInvalidRecordWithAWarningAndKeepSending() {
        suppressions.pipeInput("acme/bob@example.com", "{\"tenant\":\"acme\",\"address\":\"bob@example.com\","
                .concat("\"reason\":\"BORED\",\"at\":\"2026-12-04T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
        suppressions.pipeInput("acme/carol@example.com", "not json".getBytes(StandardCharsets.UTF_8));
        Suppression wrongKey = new Suppression("acme", "dave@example.com", SuppressionReason.MANUAL, START);
        suppressions.pipeInput("acme/someone-else@example.com", SuppressionJson.write(wrongKey));
        publish("e1", "\"bob@example.com\",\"carol@example.com\",\"dave@example.com\"", null);
        tick();

        assertThat(transport.sentIds()).containsExactly("e1");
        assertThat(statuses()).singleElement().satisfies(s -> assertThat(s.suppressed()).isEmpty());
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("acme/bob@example.com", "reason"))
                .anySatisfy(m -> assertThat(m).contains("acme/carol@example.com"))
                .anySatisfy(m -> assertThat(m).contains("acme/someone-else@example.com", "key"));
    }

    @Test
    void shouldKeepASuppressionInForceWhenAnInvalidRecordFollowsIt() {
        suppress("acme", "bob@example.com", SuppressionReason.MANUAL);
        suppressions.pipeInput("acme/bob@example.com", "{\"reason\":\"MANUAL\"}".getBytes(StandardCharsets.UTF_8));
        publish("e1", "\"bob@example.com\"", null);
        tick();
        assertThat(transport.sent).isEmpty();
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.SUPPRESSED);
    }

    private static List<String> recipients(EmailEvent e) {
        List<String> all = new java.util.ArrayList<>(e.to());
        all.addAll(e.cc());
        all.addAll(e.bcc());
        return all;
    }
}
