package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The priority lane (CONTRACT.md, the event's {@code priority}): a HIGH email goes to a connection within a second
 * of reaching the mailer, whatever the tenant's interval and however long its normal backlog, ahead of the normal
 * emails and within {@code maxEmailsPerMinute}; its retries keep HIGH. Virtual time, one-second ticks.
 */
class PriorityLaneTopologyTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private TopologyFixture fixture;
    /** Each email sent, with the second of virtual time (since START) in which it went. */
    private final Map<String, Long> sentAt = new LinkedHashMap<>();
    private final List<TestRecord<byte[], byte[]>> retried = new ArrayList<>();
    private long seconds;

    @BeforeEach
    void start() {
        fixture = TopologyFixture.inline(transport, topics, metrics, stateDir, START);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void configure(String extra) {
        fixture.config.pipeInput("default", "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\","
                + "\"postmaster\":\"noreply@example.com\"," + extra + "}");
    }

    private void publish(String id, boolean high) {
        String json = TopologyFixture.email(id, "default");
        if (high) {
            json = json.replace("\"text\":\"Hi\"", "\"text\":\"Hi\",\"priority\":\"HIGH\"");
        }
        // Stamped with the driver's wall clock: the email reaches the mailer now.
        fixture.outbox.pipeInput(new TestRecord<>(id.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), START.plusSeconds(seconds)));
    }

    /** One second of virtual time; what was written to the retry topic comes back in, as the broker would do it. */
    private void tick() {
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
        seconds++;
        for (String id : transport.sentIds()) {
            sentAt.putIfAbsent(id, seconds);
        }
        while (!fixture.retryOut.isEmpty()) {
            TestRecord<byte[], byte[]> r = fixture.retryOut.readRecord();
            fixture.retryIn.pipeInput(r);
            retried.add(r);
        }
    }

    private void tick(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    @Test
    void shouldSendAHighEmailWithinASecondThoughTheTenantsNextRunIsTenMinutesAway() {
        configure("\"campaignIntervalSeconds\":600");
        publish("n1", false);
        tick(3); // n1 went at the first run; the run ended, the next is 600 s after it started
        assertThat(sentAt).containsOnlyKeys("n1");

        publish("n2", false);
        publish("h1", true);
        long arrived = seconds;
        tick();

        assertThat(sentAt).containsKey("h1");
        assertThat(sentAt.get("h1") - arrived).isLessThanOrEqualTo(1);
        // The HIGH email's run sent it alone: the normal one keeps the tenant's interval.
        assertThat(sentAt).doesNotContainKey("n2");
        tick(560);
        assertThat(sentAt).doesNotContainKey("n2");
        tick(40);
        assertThat(sentAt).containsKey("n2");
        assertThat(sentAt.get("n2")).isBetween(600L, 602L);
    }

    @Test
    void shouldCarryHighEmailsOnARepartitionOfTheirOwnReadByTheSendingTask() {
        configure("\"campaignIntervalSeconds\":600");
        TestOutputTopic<String, byte[]> normalTopic = fixture.driver.createOutputTopic(
                TopologyFixture.APPLICATION_ID + "-by-tenant-repartition", new StringDeserializer(),
                new ByteArrayDeserializer());
        TestOutputTopic<String, byte[]> highTopic = fixture.driver.createOutputTopic(
                HighPath.topic(TopologyFixture.APPLICATION_ID), new StringDeserializer(), new ByteArrayDeserializer());
        publish("n1", false);
        publish("h1", true);
        publish("n2", false);

        assertThat(highTopic.readRecordsToList()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("default");
            assertThat(new PendingEmailSerde().deserializer().deserialize("t", r.value()).emailId()).isEqualTo("h1");
            // Lower than any normal record's: the sending task, reading both, takes it ahead of a normal backlog.
            assertThat(r.timestamp()).isEqualTo(HighPath.HIGH_FIRST);
        });
        assertThat(normalTopic.readRecordsToList()).allSatisfy(r -> assertThat(r.timestamp()).isGreaterThan(
                HighPath.HIGH_FIRST)).extracting(TestRecord::key).containsExactly("default", "default");
        // Read back with its outbox timestamp: what the sending task writes for it is stamped as for a normal email.
        assertThat(fixture.driver.createOutputTopic(TopologyFixture.APPLICATION_ID + "-pending-emails-changelog",
                new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList())
                .hasSize(3).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(START.toEpochMilli()));
        // The same sending task reads both, so both reach the tenant's one store and run.
        TopologyDescription.Subtopology sending = subTopologyOf("sending");
        assertThat(sources(sending)).containsExactlyInAnyOrder("by-tenant-repartition", "by-tenant-high-repartition");
        assertThat(subTopologyOf("bounces").id()).isEqualTo(sending.id());
        tick();
        assertThat(sentAt).containsKeys("h1", "n1", "n2");
    }

    private TopologyDescription.Subtopology subTopologyOf(String processor) {
        return fixture.topology.describe().subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(processor)))
                .findFirst().orElseThrow();
    }

    private static List<String> sources(TopologyDescription.Subtopology s) {
        return s.nodes().stream().filter(n -> n instanceof TopologyDescription.Source)
                .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream()).toList();
    }

    @Test
    void shouldSendAHighEmailAheadOfAThousandDueNormalOnes() {
        configure("\"campaignIntervalSeconds\":600");
        IntStream.range(0, 1000).forEach(i -> publish("n" + i, false));
        tick(); // the run starts and goes through the backlog, 100 in flight at most
        int before = transport.sent.size();
        assertThat(before).isBetween(1, 999);

        publish("h1", true);
        tick();

        assertThat(transport.sentIds().get(before)).isEqualTo("h1");
        assertThat(sentAt.get("h1")).isEqualTo(seconds);
    }

    @Test
    void shouldStartARunForAHighEmailBehindAThousandNormalOnesThatAreNotYetDueForTheirRun() {
        configure("\"campaignIntervalSeconds\":600");
        publish("n0", false);
        tick(3); // a run went; the next is 600 s after its start
        IntStream.range(1, 1000).forEach(i -> publish("n" + i, false));
        publish("h1", true);
        long arrived = seconds;
        tick();

        assertThat(transport.sentIds()).containsExactly("n0", "h1");
        assertThat(sentAt.get("h1") - arrived).isLessThanOrEqualTo(1);
    }

    @Test
    void shouldTakeTheNextPlaceInTheRateWindowAndStillKeepMaxEmailsPerMinute() {
        configure("\"campaignIntervalSeconds\":1,\"maxEmailsPerMinute\":10");
        IntStream.range(0, 40).forEach(i -> publish("n" + i, false));
        tick(5);
        assertThat(transport.sent).hasSize(10); // the window is full
        publish("h1", true);
        tick(50);
        assertThat(transport.sent).hasSize(10); // HIGH or not, the limit holds

        tick(10);
        // The window opened: the HIGH email went first, then normal ones again.
        assertThat(transport.sentIds().get(10)).isEqualTo("h1");
        tick(130);
        assertThat(transport.sent).hasSizeGreaterThan(30);
        assertNoMinuteHoldsMoreThan(10);
    }

    @Test
    void shouldKeepARetriedHighEmailHigh() {
        configure("\"campaignIntervalSeconds\":20,\"maxEmailsPerMinute\":10");
        boolean[] failedOnce = {false};
        transport.answer = e -> {
            if (e.id().equals("h1") && !failedOnce[0]) {
                failedOnce[0] = true;
                return new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT, "451 try later", false);
            }
            return new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        };
        publish("h1", true);
        IntStream.range(0, 100).forEach(i -> publish("n" + i, false));
        tick(); // h1 first: it fails and waits for a retry; normal ones fill the window
        assertThat(failedOnce[0]).isTrue();
        assertThat(retried).singleElement().satisfies(r ->
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"priority\":\"HIGH\""));

        tick(120);

        // Back from the retry topic, due after the normal backlog came, it still goes ahead of it.
        assertThat(sentAt).containsKey("h1");
        assertThat(transport.sentIds().indexOf("h1")).isLessThan(35);
        assertNoMinuteHoldsMoreThan(10);
    }

    /** No 60-second window of sending holds more than {@code limit} emails. */
    private void assertNoMinuteHoldsMoreThan(int limit) {
        List<Long> times = new ArrayList<>(sentAt.values());
        for (int i = 0; i < times.size(); i++) {
            long from = times.get(i);
            long inWindow = times.stream().filter(t -> t >= from && t < from + 60).count();
            assertThat(inWindow).as("emails sent in the minute from second %d", from).isLessThanOrEqualTo(limit);
        }
    }
}
