package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.testing.WarningLog;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailerTopologyTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> outbox;
    private TestInputTopic<String, String> config;
    private TestOutputTopic<byte[], byte[]> dlq;
    private TestOutputTopic<byte[], byte[]> status;
    private TestOutputTopic<byte[], byte[]> retryTopic;
    private TestInputTopic<byte[], byte[]> retryIn;
    private final List<TestRecord<byte[], byte[]>> retried = new java.util.ArrayList<>();
    private final Properties extraStreamsConfig = new Properties();

    @BeforeEach
    void start() {
        startWith(TopologyFixture.inlineSending(transport, topics, metrics, START));
    }

    private void startWith(SendingSettings settings) {
        if (fixture != null) {
            fixture.close();
        }
        Properties p = TopologyFixture.withGlobalProcessingHandler();
        p.putAll(extraStreamsConfig);
        fixture = new TopologyFixture(topics, metrics, settings, TopologyFixture.secrets(stateDir,
                java.util.Map.of("MAILER_SMTP_PASSWORD", "from-env")), stateDir, START, p);
        driver = fixture.driver;
        outbox = fixture.outbox;
        config = fixture.config;
        dlq = fixture.dlq;
        status = fixture.status;
        retryTopic = fixture.retryOut;
        retryIn = fixture.retryIn;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String config(String extra) {
        return TopologyFixture.tenantConfig(extra);
    }

    private static String email(String id) {
        return email(id, "default");
    }

    private static String email(String id, String tenant) {
        return TopologyFixture.email(id, tenant);
    }

    private void publish(String id, String json) {
        outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Moves the wall clock; what the mailer wrote to the retry topic comes back in, as the broker would do. */
    private void tick(Duration d) {
        driver.advanceWallClockTime(d);
        while (!retryTopic.isEmpty()) {
            TestRecord<byte[], byte[]> r = retryTopic.readRecord();
            retryIn.pipeInput(r);
            retried.add(r);
        }
    }

    private List<StatusEvent> statuses() {
        return status.readValuesToList().stream().map(StatusEventJson::parse).toList();
    }

    @Test
    void shouldSendAValidEmailAtTheFirstRunAndPublishItsStatus() {
        config.pipeInput("default", config(""));
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(1));

        assertThat(transport.sentIds()).containsExactly("e1");
        List<StatusEvent> s = statuses();
        assertThat(s).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("e1");
            assertThat(e.status()).isEqualTo(Status.SENT);
            assertThat(e.attempts()).isEqualTo(1);
        });
        assertThat(metrics.count(MailerMetrics.SENT, "tenant", "default", "transport", "SMTP")).isEqualTo(1);
    }

    @Test
    void shouldPublishDraftedForADraftEmailAndNeverDraftItTwice() {
        config.pipeInput("default", config(""));
        java.util.concurrent.atomic.AtomicInteger drafts = new java.util.concurrent.atomic.AtomicInteger();
        transport.answer = e -> {
            drafts.incrementAndGet();
            return new SendOutcome.Drafted(TransportKind.GRAPH, Instant.now());
        };
        String draft = email("d1").replace("\"text\":\"Hi\"", "\"text\":\"Hi\",\"mode\":\"DRAFT\"");
        publish("d1", draft);
        tick(Duration.ofSeconds(1));

        assertThat(statuses()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("d1");
            assertThat(e.status()).isEqualTo(Status.DRAFTED);
            assertThat(e.transport()).isEqualTo(TransportKind.GRAPH);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.error()).isNull();
        });
        assertThat(metrics.count(MailerMetrics.SENT, "tenant", "default", "transport", "GRAPH")).isZero();

        publish("d1", draft);
        tick(Duration.ofSeconds(20));
        assertThat(drafts).hasValue(1);
        assertThat(statuses()).isEmpty();
    }

    @Test
    void shouldDeadLetterAnInvalidEventWithItsBytesAndHeadersAndGoOn() {
        config.pipeInput("default", config(""));
        byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);
        outbox.pipeInput("bad".getBytes(StandardCharsets.UTF_8), garbage);
        publish("good", email("good"));
        tick(Duration.ofSeconds(1));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("bad");
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("INVALID");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("not a JSON object");
        assertThat(header(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.SOURCE)).isEqualTo("mail.outbox/0/0");
        assertThat(transport.sentIds()).containsExactly("good");
    }

    @Test
    void shouldDeadLetterAnEventWhoseIdDiffersFromItsKey() {
        publish("key-1", email("other-id"));
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("differs from the record key");
    }

    @Test
    void shouldKeepEmailsWhileDisabledAndSendThemOnceEnabled() {
        config.pipeInput("default", config("\"enabled\":false").replace("\"enabled\":true,", ""));
        publish("e1", email("e1"));
        publish("e2", email("e2"));
        tick(Duration.ofSeconds(30));
        assertThat(transport.sent).isEmpty();

        config.pipeInput("default", config(""));
        tick(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("e1", "e2");
    }

    @Test
    void shouldRunOncePerIntervalOfTheCurrentConfig() {
        config.pipeInput("default", config(""));
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("e1");

        publish("e2", email("e2"));
        tick(Duration.ofSeconds(10));
        assertThat(transport.sentIds()).containsExactly("e1");
        tick(Duration.ofSeconds(10));
        assertThat(transport.sentIds()).containsExactly("e1", "e2");

        // A shorter interval applies from the next run, without a restart.
        config.pipeInput("default", config("\"campaignIntervalSeconds\":2").replace("\"campaignIntervalSeconds\":20,", ""));
        publish("e3", email("e3"));
        tick(Duration.ofSeconds(2));
        assertThat(transport.sentIds()).containsExactly("e1", "e2", "e3");
    }

    @Test
    void shouldRejectAnInvalidConfigAndKeepTheLastValidOne() {
        config.pipeInput("default", config("\"enabled\":false").replace("\"enabled\":true,", ""));
        config.pipeInput("default", config("\"smtpPort\":0"));
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(5));

        assertThat(transport.sent).isEmpty();
        assertThat(metrics.count(MailerMetrics.CONFIG_REJECTED, "tenant", "default")).isEqualTo(1);
    }

    @Test
    void shouldResolveSecretReferencesAndRejectAnUnresolvableOne() {
        config.pipeInput("default", config("\"smtpUser\":\"u\",\"smtpPassword\":\"${env:MAILER_SMTP_PASSWORD}\""));
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(1));
        assertThat(transport.sessionsOpened).extracting(c -> c.smtpPassword().reveal()).containsExactly("from-env");

        config.pipeInput("default", config("\"smtpUser\":\"u\",\"smtpPassword\":\"${env:NOT_SET_ANYWHERE}\","
                + "\"smtpHost\":\"elsewhere.example\"").replace("\"smtpHost\":\"127.0.0.1\",", ""));
        assertThat(metrics.count(MailerMetrics.CONFIG_REJECTED, "tenant", "default")).isEqualTo(1);
        publish("e2", email("e2"));
        tick(Duration.ofSeconds(20));
        assertThat(transport.sessionsOpened).extracting(c -> c.smtpHost()).containsOnly("127.0.0.1");
    }

    @Test
    void shouldMakeEmailsWaitAfterATombstone() {
        config.pipeInput("default", config(""));
        config.pipeInput("default", (String) null);
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(30));
        assertThat(transport.sent).isEmpty();

        config.pipeInput("default", config(""));
        tick(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("e1");
    }

    @Test
    void shouldSendAnIdPublishedTwiceBeforeItsRunOnlyOnce() {
        config.pipeInput("default", config(""));
        // Two records, a millisecond apart: two entries in the pending store, one email.
        outbox.pipeInput("twice".getBytes(StandardCharsets.UTF_8), email("twice").getBytes(StandardCharsets.UTF_8), START);
        outbox.pipeInput("twice".getBytes(StandardCharsets.UTF_8), email("twice").getBytes(StandardCharsets.UTF_8),
                START.plusMillis(1));
        tick(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("twice");
    }

    @Test
    void shouldNotSendAnIdTwice() {
        config.pipeInput("default", config(""));
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(1));
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(20));
        assertThat(transport.sentIds()).containsExactly("e1");
    }

    @Test
    void shouldRetryATransientFailureThroughTheRetryTopicAfterItsBackoff() {
        config.pipeInput("default", config(""));
        transport.failTransiently();
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(1));
        assertThat(transport.sent).isEmpty();
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.RETRY_SCHEDULED);
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.error()).contains("451");
        });
        TestRecord<byte[], byte[]> retry = retried.get(0);
        assertThat(header(retry, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(header(retry, DeadLetterHeaders.FIRST_FAILURE)).isNotNull();

        transport.deliver();
        // Backoff: the interval (20 s) times 2^0, jitter fixed at 0 by the test's random.
        tick(Duration.ofSeconds(10));
        assertThat(transport.sent).isEmpty();
        tick(Duration.ofSeconds(11));
        assertThat(transport.sentIds()).containsExactly("e1");
        assertThat(statuses()).extracting(StatusEvent::status, StatusEvent::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Status.SENT, 2));
    }

    @Test
    void shouldNotSendARetryBeforeItsTimeWhenItIsTheTenantsFirstPendingEmail() {
        // Runs every 20 s; the backoffs are 20 s then 40 s. After the second failure (t ~ 21 s) the only pending
        // email is due at ~61 s: the run of t ~ 41 s starts at it (reads begin at the tenant's first pending
        // email) and must find nothing due.
        config.pipeInput("default", config(""));
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        transport.answer = e -> {
            attempts.incrementAndGet();
            return new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT, "451 try later", false);
        };
        publish("e1", email("e1"));
        for (int t = 0; t < 58; t++) {
            tick(Duration.ofSeconds(1));
        }
        assertThat(attempts.get()).as("attempts in the first 58 s").isEqualTo(2);
        transport.deliver();
        for (int t = 58; t < 90 && transport.sent.isEmpty(); t++) {
            tick(Duration.ofSeconds(1));
        }
        assertThat(transport.sentIds()).containsExactly("e1");
    }

    @Test
    void shouldDeadLetterAPermanentFailureAtOnce() {
        config.pipeInput("default", config(""));
        transport.answer = e -> new SendOutcome.Failed(TransportKind.SMTP, FailureClass.PERMANENT,
                "550 5.1.1 mailbox unknown", false);
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(1));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("PERMANENT");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("550 5.1.1");
        assertThat(header(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(header(dead, DeadLetterHeaders.FIRST_FAILURE)).isNotNull();
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.DEAD_LETTERED);
        assertThat(retried).isEmpty();
    }

    @Test
    void shouldDeadLetterAsExpiredOnceMaxErrorSecondsHavePassed() {
        config.pipeInput("default", config("\"maxErrorSeconds\":30"));
        transport.failTransiently();
        publish("e1", email("e1"));
        for (int i = 0; i < 8; i++) {
            tick(Duration.ofSeconds(10));
        }
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("EXPIRED");
        assertThat(Integer.parseInt(header(dead, DeadLetterHeaders.ATTEMPTS))).isGreaterThan(1);
        assertThat(statuses()).extracting(StatusEvent::status).last().isEqualTo(Status.DEAD_LETTERED);
    }

    @Test
    void shouldLeaveEmailsPendingWithoutRetryWhenTheServerIsDown() {
        config.pipeInput("default", config(""));
        transport.answer = e -> new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT,
                "cannot connect: Connection refused", true);
        publish("e1", email("e1"));
        publish("e2", email("e2"));
        tick(Duration.ofSeconds(1));
        // The first email took the failure; the second was not attempted and waits in the store.
        assertThat(statuses()).extracting(StatusEvent::id).containsExactly("e1");

        transport.deliver();
        tick(Duration.ofSeconds(20));
        assertThat(transport.sentIds()).contains("e2");
        tick(Duration.ofSeconds(25));
        assertThat(transport.sentIds()).containsExactlyInAnyOrder("e1", "e2");
    }

    @Test
    void shouldSkipEmailsThatReachedTheOutboxBeforeTheStartWhenAsked() {
        config.pipeInput("default", config("\"skipPendingOnStart\":true"));
        // Judged by when the record reached the outbox, not by createdAt: a document's date of last week is
        // no reason to skip an email published after the start.
        outbox.pipeInput("old".getBytes(StandardCharsets.UTF_8), email("old").replace("}",
                ",\"createdAt\":\"2026-11-26T10:00:05Z\"}").getBytes(StandardCharsets.UTF_8), START.minusSeconds(60));
        outbox.pipeInput("new".getBytes(StandardCharsets.UTF_8), email("new").replace("}",
                ",\"createdAt\":\"2026-11-19T09:00:00Z\"}").getBytes(StandardCharsets.UTF_8), START.plusSeconds(1));
        tick(Duration.ofSeconds(1));

        assertThat(transport.sentIds()).containsExactly("new");
        assertThat(statuses()).extracting(StatusEvent::id, StatusEvent::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("old", Status.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple("new", Status.SENT));
    }

    @Test
    void shouldReportAnUnusableServerOncePerConfigVersionNotOncePerRun() {
        try (WarningLog log = WarningLog.of(SendingProcessor.class)) {
            List<String> warnings = log.messages();
            config.pipeInput("default", config("\"maxErrorSeconds\":999999"));
            transport.answer = e -> new SendOutcome.Failed(TransportKind.SMTP_OAUTH, FailureClass.TRANSIENT,
                    "no token: invalid_client", true);
            for (int i = 0; i < 5; i++) {
                publish("e" + i, email("e" + i));
                tick(Duration.ofSeconds(21));
            }
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("default").contains("invalid_client");

            config.pipeInput("default", config("\"maxErrorSeconds\":999998"));
            tick(Duration.ofSeconds(21));
            tick(Duration.ofSeconds(21));
            assertThat(warnings).hasSize(2);
        }
    }

    @Test
    void shouldRunEachTenantWithItsOwnConfig() {
        config.pipeInput("a", config("").replace("127.0.0.1", "smtp-a.example"));
        config.pipeInput("b", config("").replace("127.0.0.1", "smtp-b.example"));
        publish("a1", email("a1", "a"));
        publish("b1", email("b1", "b"));
        tick(Duration.ofSeconds(1));

        assertThat(transport.sentIds()).containsExactlyInAnyOrder("a1", "b1");
        assertThat(transport.sessionsOpened).extracting(c -> c.smtpHost())
                .containsExactlyInAnyOrder("smtp-a.example", "smtp-b.example");
    }

    // ---- The sending engine (issue 8) and the holes of issue 9 ----

    @Test
    void shouldTreatTheSameIdInTwoTenantsAsTwoEmailsAndCountARealDuplicate() {
        config.pipeInput("a", config(""));
        config.pipeInput("b", config(""));
        publish("inv-1", email("inv-1", "a"));
        publish("inv-1", email("inv-1", "b"));
        tick(Duration.ofSeconds(1));
        assertThat(transport.sent).extracting(e -> e.tenant() + "/" + e.id()).containsExactlyInAnyOrder("a/inv-1", "b/inv-1");

        publish("inv-1", email("inv-1", "a"));
        tick(Duration.ofSeconds(20));
        assertThat(transport.sent).hasSize(2);
        assertThat(metrics.count(MailerMetrics.DUPLICATES, "tenant", "a")).isEqualTo(1);
        assertThat(metrics.count(MailerMetrics.DUPLICATES, "tenant", "b")).isZero();
    }

    @Test
    void shouldSendAnEmailCreatedInTheYearOneOnceAndRecordIt() {
        config.pipeInput("default", config(""));
        publish("go-zero", email("go-zero").replace("}", ",\"createdAt\":\"0001-01-01T00:00:00Z\"}"));
        publish("far-future", email("far-future").replace("}", ",\"createdAt\":\"9999-12-31T23:59:59Z\"}"));
        tick(Duration.ofSeconds(1));
        tick(Duration.ofSeconds(20));
        tick(Duration.ofSeconds(20));

        assertThat(transport.sentIds()).containsExactlyInAnyOrder("go-zero", "far-future");
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.SENT, Status.SENT);
        assertThat(metrics.registry().find(MailerMetrics.DELIVERY_LATENCY).timer().count()).isEqualTo(2);
    }

    @Test
    void shouldRetryOnlyTheRecipientsTheServerDeferredAndNeverResendToTheOthers() {
        config.pipeInput("default", config(""));
        transport.answer = e -> e.to().size() > 1
                ? new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of("dan@example.com (550 no such user)"),
                List.of("carol@example.com"), "carol@example.com: 452 4.5.3 too many recipients")
                : new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        publish("p1", email("p1").replace("[\"bob@example.com\"]",
                "[\"bob@example.com\",\"carol@example.com\",\"dan@example.com\"]"));
        tick(Duration.ofSeconds(1));

        List<StatusEvent> first = statuses();
        assertThat(first).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(Status.RETRY_SCHEDULED);
            assertThat(e.error()).contains("carol@example.com").contains("452").contains("dan@example.com");
        });
        assertThat(retried).singleElement().satisfies(r ->
                assertThat(header(r, io.github.kafkamailer.failure.RetryHeaders.RECIPIENTS)).isEqualTo("carol@example.com"));

        tick(Duration.ofSeconds(30));
        assertThat(transport.sent).hasSize(2);
        assertThat(transport.sent.get(1).to()).containsExactly("carol@example.com");
        assertThat(statuses()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(Status.SENT);
            assertThat(e.attempts()).isEqualTo(2);
        });
        tick(Duration.ofSeconds(60));
        assertThat(transport.sent).as("nobody gets a second copy").hasSize(2);
    }

    @Test
    void shouldNameEveryUndeliveredRecipientWholeInTheDeadLetterOfAnEmailThatExpiredHalfSent() {
        // Whole as long as the dead letter fits the producer's limit (BigOutcomeTopologyTest: when it doesn't).
        extraStreamsConfig.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(4 << 20));
        startWith(TopologyFixture.inlineSending(transport, topics, metrics, START));
        config.pipeInput("default", config("\"maxErrorSeconds\":30"));
        String longDomain = "d".repeat(60) + "." + "e".repeat(60) + ".example.com";
        List<String> deferred = java.util.stream.IntStream.range(0, 3000)
                .mapToObj(i -> String.format("recipient-%04d-%s@%s", i, "x".repeat(45), longDomain)).toList();
        transport.answer = e -> e.to().contains("bob@example.com")
                ? new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of(), deferred,
                "452 4.5.3 too many recipients")
                : new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT, "451 4.3.0 try later", false);
        StringBuilder to = new StringBuilder("[\"bob@example.com\"");
        deferred.forEach(r -> to.append(",\"").append(r).append('"'));
        publish("big", email("big").replace("[\"bob@example.com\"]", to.append(']').toString()));
        for (int i = 0; i < 8; i++) {
            tick(Duration.ofSeconds(10));
        }

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("EXPIRED");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).as("the reason is cut").hasSizeLessThan(2100);
        assertThat(header(dead, DeadLetterHeaders.UNDELIVERED_RECIPIENTS).split("\n"))
                .containsExactlyElementsOf(deferred);
        assertThat(transport.sent).as("bob's copy only").hasSize(1);
    }

    @Test
    void shouldNotNameUndeliveredRecipientsWhenNobodyGotTheEmail() {
        config.pipeInput("default", config(""));
        transport.answer = e -> new SendOutcome.Failed(TransportKind.SMTP, FailureClass.PERMANENT,
                "550 5.1.1 mailbox unknown", false);
        publish("e1", email("e1"));
        tick(Duration.ofSeconds(1));
        assertThat(dlq.readRecord().headers().lastHeader(DeadLetterHeaders.UNDELIVERED_RECIPIENTS)).isNull();
    }

    @Test
    void shouldNeverSendMoreThanMaxEmailsPerMinuteAndLetTheRestWaitInOrder() {
        config.pipeInput("default", config("\"maxEmailsPerMinute\":12,\"campaignIntervalSeconds\":1")
                .replace("\"campaignIntervalSeconds\":20,", ""));
        for (int i = 0; i < 24; i++) {
            outbox.pipeInput(("r" + i).getBytes(StandardCharsets.UTF_8), email("r" + i).getBytes(StandardCharsets.UTF_8),
                    START.plusMillis(i));
        }
        tick(Duration.ofSeconds(1));
        assertThat(transport.sent).hasSize(12);
        for (int s = 0; s < 58; s++) {
            tick(Duration.ofSeconds(1));
        }
        assertThat(transport.sent).as("59 s after the first sends").hasSize(12);
        tick(Duration.ofSeconds(2));
        assertThat(transport.sentIds()).hasSize(24).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 24).mapToObj(i -> "r" + i).toList());
        assertThat(statuses()).extracting(StatusEvent::status).containsOnly(Status.SENT);
        assertThat(metrics.count(MailerMetrics.FAILED, "tenant", "default", "kind", "transient")).isZero();
    }

    @Test
    void shouldBackTheWholeTenantOffWhenTheServerSaysSlowDown() {
        config.pipeInput("default", config(""));
        transport.answer = e -> new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT,
                "421 4.7.0 too many messages, slow down", false, Duration.ZERO);
        for (int i = 0; i < 5; i++) {
            publish("s" + i, email("s" + i));
        }
        tick(Duration.ofSeconds(1));
        assertThat(statuses()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("s0");
            assertThat(e.status()).isEqualTo(Status.RETRY_SCHEDULED);
        });

        transport.deliver();
        tick(Duration.ofSeconds(20));
        assertThat(transport.sentIds()).containsExactly("s1", "s2", "s3", "s4", "s0");
    }

    @Test
    void shouldCountAnAttemptWhenATransportThrowsAndGoOnWithTheRun() {
        config.pipeInput("default", config(""));
        transport.answer = e -> {
            if (e.id().equals("boom")) {
                throw new IllegalStateException("transport bug");
            }
            return new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        };
        publish("boom", email("boom"));
        publish("fine", email("fine"));
        tick(Duration.ofSeconds(1));

        assertThat(transport.sentIds()).containsExactly("fine");
        assertThat(statuses()).filteredOn(e -> e.id().equals("boom")).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(Status.RETRY_SCHEDULED);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.error()).contains("java.lang.IllegalStateException");
        });
    }

    @Test
    void shouldBoundWhatIsInFlightByBytesYetAlwaysLetOneBigEmailGo() {
        List<List<io.github.kafkamailer.sending.SendJob>> submitted = new java.util.ArrayList<>();
        List<Runnable> completions = new java.util.ArrayList<>();
        io.github.kafkamailer.sending.SenderFactory holding = (tenant, cfg, sessions, results) ->
                new io.github.kafkamailer.sending.TenantSender() {
                    @Override
                    public void submit(List<io.github.kafkamailer.sending.SendJob> jobs) {
                        submitted.add(jobs);
                        jobs.forEach(j -> completions.add(() -> results.accept(new io.github.kafkamailer.sending.SendResult(
                                j, null, new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of())))));
                    }

                    @Override
                    public void halt() {
                    }

                    @Override
                    public void finish() {
                    }
                };
        startWith(new SendingSettings(transport, topics, metrics, Clock.systemUTC(), START, holding, new SendingGate(),
                new RetryPolicy(() -> 0.5), 100, 10_000, Duration.ofSeconds(10), new io.github.kafkamailer.sending.TenantActivity()));
        config.pipeInput("default", config(""));
        String body = "x".repeat(4_000);
        for (int i = 0; i < 4; i++) {
            publish("b" + i, email("b" + i).replace("\"text\":\"Hi\"", "\"text\":\"" + body + "\""));
        }
        publish("huge", email("huge").replace("\"text\":\"Hi\"", "\"text\":\"" + "y".repeat(50_000) + "\""));
        tick(Duration.ofSeconds(1));
        assertThat(submitted).singleElement().satisfies(jobs -> assertThat(jobs).hasSize(2));
        tick(Duration.ofSeconds(1));
        assertThat(submitted).as("nothing more while 10 kB are in flight").hasSize(1);

        completions.forEach(Runnable::run);
        completions.clear();
        tick(Duration.ofSeconds(1));
        tick(Duration.ofSeconds(1));
        assertThat(submitted).hasSize(2);
        assertThat(submitted.get(1)).extracting(io.github.kafkamailer.sending.SendJob::emailId).containsExactly("b2", "b3");

        completions.forEach(Runnable::run);
        completions.clear();
        tick(Duration.ofSeconds(1));
        tick(Duration.ofSeconds(1));
        assertThat(submitted).hasSize(3);
        assertThat(submitted.get(2)).extracting(io.github.kafkamailer.sending.SendJob::emailId)
                .as("bigger than the bound, alone").containsExactly("huge");
    }

    @Test
    void shouldKeepARunGoingWhenItsConfigIsRepublishedEveryTickWithAnUnrelatedChange() {
        startWith(InlineSending.settings(transport, topics, metrics, Clock.systemUTC(), START,
                new RetryPolicy(() -> 0.5), 2));
        config.pipeInput("default", config(""));
        for (int i = 0; i < 20; i++) {
            publish("f" + i, email("f" + i));
        }
        // A run hands out at most 2 at a time: 20 emails take 10 ticks, all inside
        // one interval (20 s), while a new version of the config arrives before every tick.
        for (int t = 0; t < 15; t++) {
            config.pipeInput("default", config("\"retentionDays\":" + (7 + t % 2) + ",\"maxErrorSeconds\":" + (600 + t)));
            tick(Duration.ofSeconds(1));
        }
        assertThat(transport.sent).hasSize(20);
        assertThat(transport.sessionsOpened).as("one run").hasSize(1);
    }

    @Test
    void shouldHaltTheRunWhenTheNewConfigSendsThroughAnotherServer() {
        startWith(InlineSending.settings(transport, topics, metrics, Clock.systemUTC(), START,
                new RetryPolicy(() -> 0.5), 2));
        config.pipeInput("default", config(""));
        for (int i = 0; i < 20; i++) {
            publish("h" + i, email("h" + i));
        }
        tick(Duration.ofSeconds(1));
        int sentInFirstTick = transport.sent.size();
        assertThat(sentInFirstTick).isBetween(1, 19);

        config.pipeInput("default", config("").replace("127.0.0.1", "relay.example"));
        for (int t = 0; t < 15; t++) {
            tick(Duration.ofSeconds(1));
        }
        assertThat(transport.sent).as("the run stopped at the new server; the next waits for its interval")
                .hasSize(sentInFirstTick);
        for (int t = 0; t < 20; t++) {
            tick(Duration.ofSeconds(1));
        }
        assertThat(transport.sent).hasSize(20);
        assertThat(transport.sessionsOpened).extracting(c -> c.smtpHost()).containsExactly("127.0.0.1", "relay.example");
    }

    @Test
    void shouldHaltTheRunWhenTheNewConfigDisablesTheTenant() {
        startWith(InlineSending.settings(transport, topics, metrics, Clock.systemUTC(), START,
                new RetryPolicy(() -> 0.5), 2));
        config.pipeInput("default", config(""));
        for (int i = 0; i < 20; i++) {
            publish("d" + i, email("d" + i));
        }
        tick(Duration.ofSeconds(1));
        int sent = transport.sent.size();
        config.pipeInput("default", config("\"enabled\":false").replace("\"enabled\":true,", ""));
        for (int t = 0; t < 30; t++) {
            tick(Duration.ofSeconds(1));
        }
        assertThat(transport.sent).hasSize(sent);
        config.pipeInput("default", config(""));
        for (int t = 0; t < 15; t++) {
            tick(Duration.ofSeconds(1));
        }
        assertThat(transport.sent).hasSize(20);
    }

    @Test
    void shouldNotHoldBackAnEmailWhoseRecordTimestampIsInTheFutureAndSayItOncePerTenant() {
        try (WarningLog log = WarningLog.of(ArrivalTimes.class)) {
            List<String> warnings = log.messages();
            config.pipeInput("default", config("\"skipPendingOnStart\":true"));
            for (String id : List.of("ahead1", "ahead2", "ahead3")) {
                outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8), email(id).getBytes(StandardCharsets.UTF_8),
                        START.plus(Duration.ofDays(2)));
            }
            tick(Duration.ofSeconds(1));

            assertThat(transport.sentIds()).containsExactly("ahead1", "ahead2", "ahead3");
            assertThat(statuses()).extracting(StatusEvent::status).containsOnly(Status.SENT);
            assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains("'default'").contains("ahead"));
        }
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
