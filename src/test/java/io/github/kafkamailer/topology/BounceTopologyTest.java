package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.bounce.Bounce;
import io.github.kafkamailer.bounce.DeliveryReports;
import io.github.kafkamailer.bounce.Dsns;
import io.github.kafkamailer.bounce.BounceMailbox;
import io.github.kafkamailer.bounce.FoundReport;
import io.github.kafkamailer.bounce.MailboxPoll;
import io.github.kafkamailer.bounce.MailboxUnreachableException;
import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounce reader in the topology (CONTRACT.md, "Bounces"), on a mailbox of the test's own that answers on the
 * calling thread: a notification gives one BOUNCED status (and a suppression when permanent) however often it is
 * read again before it is deleted, it is deleted only once its statuses are a while old, and only emails the
 * tenant sent count.
 */
class BounceTopologyTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration DELETE_AFTER = Duration.ofSeconds(30);
    private static final String BOUNCES = "\"bounceImapHost\":\"imap.example.com\",\"bounceImapUser\":\"bounces\","
            + "\"bounceImapPassword\":\"imap-pw\",\"bouncePollSeconds\":5";

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final RecordingTransport transport = new RecordingTransport();
    private final FakeMailbox mailbox = new FakeMailbox();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> outbox;
    private TestInputTopic<String, String> config;
    private TestOutputTopic<byte[], byte[]> status;
    private TestOutputTopic<byte[], byte[]> suppressions;

    /** A mailbox in memory: reports stay until a read is told they are processed. */
    static final class FakeMailbox implements BounceMailbox {
        final Map<String, FoundReport> reports = new LinkedHashMap<>();
        final List<Set<String>> reads = new ArrayList<>();
        String unreachable;

        @Override
        public MailboxPoll read(MailerConfig config, Set<String> processed) throws MailboxUnreachableException {
            reads.add(processed);
            if (unreachable != null) {
                throw new MailboxUnreachableException(unreachable);
            }
            int deleted = 0;
            for (String id : processed) {
                deleted += reports.remove(id) != null ? 1 : 0;
            }
            return new MailboxPoll(new ArrayList<>(reports.values()), reports.keySet(), deleted);
        }
    }

    @BeforeEach
    void start() {
        SendingSettings settings = InlineSending.settings(transport, topics, metrics, Clock.systemUTC(), START,
                new RetryPolicy(() -> 0.5), 100);
        MailerTopology mailer = new MailerTopology(topics, metrics, ConfigListener.NONE, settings,
                Duration.ofSeconds(1), new io.github.kafkamailer.app.EnvironmentSecrets(Map.of(), List.of(stateDir),
                "MAILER_")).withBounceReading(new BounceReading(mailbox, Runnable::run, DELETE_AFTER));
        Properties p = TopologyFixture.withGlobalProcessingHandler();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounce-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(mailer.build(p), p, START);
        outbox = driver.createInputTopic(topics.outbox(), new ByteArraySerializer(), new ByteArraySerializer(),
                START, Duration.ZERO);
        config = driver.createInputTopic(topics.config(), new StringSerializer(), new StringSerializer());
        status = driver.createOutputTopic(topics.status(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        suppressions = driver.createOutputTopic(topics.suppressions(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void sendOne(String tenant, String id) {
        outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                TopologyFixture.email(id, tenant).getBytes(StandardCharsets.UTF_8));
        driver.advanceWallClockTime(Duration.ofSeconds(21));
    }

    private List<StatusEvent> statuses(Status only) {
        return status.readValuesToList().stream().map(StatusEventJson::parse).filter(s -> s.status() == only)
                .toList();
    }

    private void tick(int seconds) {
        for (int i = 0; i < seconds; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    private static FoundReport report(String reportId, String tenant, String emailId, String status) {
        return new FoundReport(reportId, List.of(new Bounce(tenant, emailId, "bob@example.com", status,
                "550 5.1.1 <bob@example.com>: mailbox unknown")));
    }

    @Test
    void shouldWriteOneBouncedStatusAndSuppressionPerReportHoweverOftenItIsReadBeforeItIsDeleted() {
        config.pipeInput("default", TopologyFixture.tenantConfig(BOUNCES));
        sendOne("default", "inv-1");
        assertThat(transport.sentIds()).containsExactly("inv-1");
        status.readValuesToList();

        mailbox.reports.put("<dsn-1@mx.example.com>", report("<dsn-1@mx.example.com>", "default", "inv-1", "5.1.1"));
        tick(6);

        List<StatusEvent> bounced = statuses(Status.BOUNCED);
        assertThat(bounced).hasSize(1);
        assertThat(bounced.get(0).id()).isEqualTo("inv-1");
        assertThat(bounced.get(0).recipient()).isEqualTo("bob@example.com");
        assertThat(bounced.get(0).error()).isEqualTo("5.1.1 550 5.1.1 <bob@example.com>: mailbox unknown");
        List<TestRecord<byte[], byte[]>> supp = suppressions.readRecordsToList();
        assertThat(supp).hasSize(1);
        String key = new String(supp.get(0).key(), StandardCharsets.UTF_8);
        assertThat(key).isEqualTo("default/bob@example.com");
        Suppression s = SuppressionJson.parse(key, supp.get(0).value());
        assertThat(s.reason()).isEqualTo(SuppressionReason.BOUNCED);
        assertThat(metrics.count(MailerMetrics.BOUNCES, "tenant", "default", "kind", "permanent")).isEqualTo(1);

        // Read again and again while its statuses are recent: never written twice, not deleted yet.
        tick(20);
        assertThat(mailbox.reads.size()).isGreaterThanOrEqualTo(4);
        assertThat(statuses(Status.BOUNCED)).isEmpty();
        assertThat(suppressions.isEmpty()).isTrue();
        assertThat(mailbox.reports).containsKey("<dsn-1@mx.example.com>");

        // Once they are old enough to be committed, a read deletes it, still writing nothing.
        tick(20);
        assertThat(mailbox.reports).isEmpty();
        assertThat(statuses(Status.BOUNCED)).isEmpty();
        assertThat(metrics.count(MailerMetrics.BOUNCES, "tenant", "default", "kind", "permanent")).isEqualTo(1);
    }

    @Test
    void shouldMatchTheBounceOfAnEmailWhoseMessageIdIsAHash() throws Exception {
        // The id has a space, a slash and an umlaut: its Message-ID is a hash, and the mailer's header names it.
        config.pipeInput("acme", TopologyFixture.tenantConfig(BOUNCES));
        sendOne("acme", "inv 12/\u00e4");
        assertThat(transport.sentIds()).containsExactly("inv 12/\u00e4");
        status.readValuesToList();
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        io.github.kafkamailer.transport.smtp.MimeMessages.build(Dsns.SESSION, transport.sent.get(0),
                io.github.kafkamailer.model.ConfigRules.parse(Map.of("smtpHost", "127.0.0.1",
                        "postmaster", "noreply@example.com"))).writeTo(sent);
        var dsn = Dsns.report("<dsn-h@mx>", Dsns.status("bob@example.com", "failed", "5.1.1", null),
                "message/rfc822", sent.toByteArray());
        mailbox.reports.put("<dsn-h@mx>", new FoundReport("<dsn-h@mx>", DeliveryReports.match(dsn)));
        tick(6);

        assertThat(statuses(Status.BOUNCED)).singleElement().satisfies(s -> {
            assertThat(s.tenant()).isEqualTo("acme");
            assertThat(s.id()).isEqualTo("inv 12/\u00e4");
            assertThat(s.recipient()).isEqualTo("bob@example.com");
        });
        assertThat(suppressions.readKeyValuesToList()).hasSize(1);
    }

    @Test
    void shouldWriteATransientBounceWithoutSuppressingTheAddress() {
        config.pipeInput("default", TopologyFixture.tenantConfig(BOUNCES));
        sendOne("default", "inv-2");
        status.readValuesToList();

        mailbox.reports.put("<dsn-2@mx>", report("<dsn-2@mx>", "default", "inv-2", "4.2.2"));
        tick(6);

        assertThat(statuses(Status.BOUNCED)).singleElement().satisfies(s -> assertThat(s.error()).startsWith("4.2.2"));
        assertThat(suppressions.isEmpty()).isTrue();
        assertThat(metrics.count(MailerMetrics.BOUNCES, "tenant", "default", "kind", "transient")).isEqualTo(1);
    }

    @Test
    void shouldIgnoreReportsOfEmailsTheTenantNeverSentAndLeaveThemInTheMailbox() {
        config.pipeInput("default", TopologyFixture.tenantConfig(BOUNCES));
        config.pipeInput("other", TopologyFixture.tenantConfig(""));
        sendOne("default", "inv-3");
        sendOne("other", "inv-4");
        status.readValuesToList();

        mailbox.reports.put("<ghost@mx>", report("<ghost@mx>", "default", "never-sent", "5.1.1"));
        mailbox.reports.put("<other@mx>", report("<other@mx>", "other", "inv-4", "5.1.1"));
        tick(60);

        assertThat(statuses(Status.BOUNCED)).isEmpty();
        assertThat(suppressions.isEmpty()).isTrue();
        assertThat(mailbox.reports).hasSize(2);
        assertThat(mailbox.reads).allSatisfy(processed -> assertThat(processed).isEmpty());
    }

    @Test
    void shouldStopReadingWhenTheBounceHostIsClearedAndNeverReadWithoutOne() {
        config.pipeInput("default", TopologyFixture.tenantConfig(""));
        sendOne("default", "inv-5");
        tick(30);
        assertThat(mailbox.reads).isEmpty();

        config.pipeInput("default", TopologyFixture.tenantConfig(BOUNCES));
        tick(6);
        assertThat(mailbox.reads).isNotEmpty();

        config.pipeInput("default", TopologyFixture.tenantConfig(""));
        int before = mailbox.reads.size();
        tick(30);
        assertThat(mailbox.reads).hasSize(before);
    }

    @Test
    void shouldCountAnUnreachableMailboxAndKeepSending() {
        config.pipeInput("default", TopologyFixture.tenantConfig(BOUNCES));
        sendOne("default", "inv-6");
        mailbox.unreachable = "ConnectException: Connection refused";
        tick(11);
        assertThat(metrics.count(MailerMetrics.BOUNCE_MAILBOX_FAILURES, "tenant", "default")).isGreaterThanOrEqualTo(2);

        sendOne("default", "inv-7");
        assertThat(transport.sentIds()).containsExactly("inv-6", "inv-7");
    }
}
