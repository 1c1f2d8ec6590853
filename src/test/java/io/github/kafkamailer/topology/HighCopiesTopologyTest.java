package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two copies of one HIGH outbox record reach the sending task when the look-ahead ({@link HighLookahead}) read it
 * before the intake: the sending task keeps the first, whichever it is, and drops the other quietly (no second
 * send, no duplicate counted). A producer's duplicate, a record of its own with the same id, is still counted.
 */
class HighCopiesTopologyTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final List<StatusEvent> statuses = new ArrayList<>();
    private TopologyFixture fixture;
    /** The HIGH repartition, where the look-ahead writes its copies. */
    private TestInputTopic<String, byte[]> high;
    /** The offset the next outbox record gets (one partition). */
    private long nextOffset;

    @BeforeEach
    void start() {
        fixture = TopologyFixture.inline(transport, topics, metrics, stateDir, START);
        high = fixture.driver.createInputTopic(HighPath.topic(TopologyFixture.APPLICATION_ID), new StringSerializer(),
                new ByteArraySerializer());
        fixture.config.pipeInput("default", TopologyFixture.tenantConfig(""));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static byte[] highEmail(String id) {
        return TopologyFixture.email(id, "default").replace("\"text\":\"Hi\"", "\"text\":\"Hi\",\"priority\":\"HIGH\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes a HIGH email on the outbox; returns its offset. */
    private long publish(String id) {
        fixture.outbox.pipeInput(new TestRecord<>(id.getBytes(StandardCharsets.UTF_8), highEmail(id), START));
        return nextOffset++;
    }

    /** What the look-ahead writes for the outbox record at {@code offset}: the intake's email, first in its task. */
    private void lookaheadCopy(String id, long offset) {
        PendingEmail email = IntakeProcessor.accept(id.getBytes(StandardCharsets.UTF_8), highEmail(id),
                START.toEpochMilli(), RawIntake.source(topics.outbox(), 0, offset), new ArrivalTimes(false),
                START.toEpochMilli());
        high.pipeInput(new TestRecord<>(email.tenant(), PendingEmailSerde.write(email),
                Instant.ofEpochMilli(HighPath.HIGH_FIRST)));
    }

    /** Seconds of virtual time; what was written to the retry topic comes back in, as the broker would do it. */
    private void tick(int seconds) {
        for (int i = 0; i < seconds; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(1));
            while (!fixture.retryOut.isEmpty()) {
                fixture.retryIn.pipeInput(fixture.retryOut.readRecord());
            }
        }
        fixture.status.readValuesToList().stream().map(StatusEventJson::parse).forEach(statuses::add);
    }

    private double duplicates() {
        return metrics.registry().find(MailerMetrics.DUPLICATES).counters().stream().mapToDouble(c -> c.count())
                .sum();
    }

    private List<Status> statusesOf(String id) {
        return statuses.stream().filter(s -> s.id().equals(id)).map(StatusEvent::status).toList();
    }

    @Test
    void shouldSendOnceWhenTheLookaheadsCopyCameFirstAndTheIntakesAfterTheSend() {
        long offset = nextOffset;
        lookaheadCopy("h1", offset);
        tick(2);
        assertThat(transport.sentIds()).containsExactly("h1");

        publish("h1");
        tick(5);

        assertThat(transport.sentIds()).containsExactly("h1");
        assertThat(statusesOf("h1")).containsExactly(Status.SENT);
        assertThat(duplicates()).isZero();
    }

    @Test
    void shouldDropTheLookaheadsCopyWhenItComesAfterTheIntakes() {
        long offset = publish("h1");
        tick(2);
        assertThat(transport.sentIds()).containsExactly("h1");

        lookaheadCopy("h1", offset);
        tick(5);

        assertThat(transport.sentIds()).containsExactly("h1");
        assertThat(statusesOf("h1")).containsExactly(Status.SENT);
        assertThat(duplicates()).isZero();
    }

    @Test
    void shouldStillCountAProducersDuplicateOfAHighEmail() {
        long first = publish("h1");
        lookaheadCopy("h1", first);
        tick(2);
        // The producer sent it again: another record, its own place in the outbox.
        long second = publish("h1");
        lookaheadCopy("h1", second);
        tick(5);

        assertThat(transport.sentIds()).containsExactly("h1");
        assertThat(statusesOf("h1")).containsExactly(Status.SENT);
        assertThat(duplicates()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheRetryOfAHighEmailWhoseFirstCopyWasTakenIn() {
        transport.failTransiently();
        long offset = nextOffset;
        lookaheadCopy("h1", offset);
        tick(1);
        assertThat(statusesOf("h1")).containsExactly(Status.RETRY_SCHEDULED);
        // The intake's copy meanwhile: dropped, the email is on its way back from the retry topic.
        publish("h1");
        transport.deliver();
        tick(120);

        // Back from the retry topic with its outbox record's place: taken in, not taken for a second copy.
        assertThat(transport.sentIds()).containsExactly("h1");
        assertThat(statusesOf("h1")).containsExactly(Status.RETRY_SCHEDULED, Status.SENT);
        assertThat(duplicates()).isZero();
    }
}
