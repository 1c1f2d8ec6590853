package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Queue;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The in-memory way of a HIGH email to this process's sending task of its tenant (beside the HIGH repartition): only
 * to a task that runs here, bounded in bytes, dropped when the task lets its partition go; the intake hands over
 * its HIGH emails, not its normal ones nor a record carrying a handover header.
 */
class HighInboxTest {
    private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
    private static final int PARTITIONS = 3;

    private final HighInbox inbox = new HighInbox();

    private static PendingEmail email(String tenant, String id, int bytes) {
        return new PendingEmail(tenant, id, new byte[bytes], "mail.outbox/0/" + id.hashCode(), AT, 0, null, AT);
    }

    @Test
    void shouldHandAnEmailOnlyToTheTaskOfItsTenantsPartitionRunningHere() {
        inbox.partitions(PARTITIONS);
        int partition = HighInbox.partitionOf("acme", PARTITIONS);
        PendingEmail e = email("acme", "h1", 100);
        assertThat(inbox.offer(e)).as("no task of that partition here").isFalse();

        Queue<PendingEmail> queue = inbox.register(partition);
        assertThat(inbox.offer(e)).isTrue();
        assertThat(inbox.take(queue)).isSameAs(e);
        assertThat(inbox.take(queue)).isNull();

        inbox.unregister(partition, queue);
        assertThat(inbox.offer(e)).isFalse();
    }

    @Test
    void shouldHandNothingOverUntilThePartitionsAreKnown() {
        inbox.register(HighInbox.partitionOf("acme", PARTITIONS));
        assertThat(inbox.offer(email("acme", "h1", 100))).isFalse();
    }

    @Test
    void shouldRefuseWhatWouldPassTheBoundAndCountWhatATaskTookOrDropped() {
        inbox.partitions(1);
        Queue<PendingEmail> queue = inbox.register(0);
        int half = (int) (HighInbox.MAX_BYTES / 2);
        assertThat(inbox.offer(email("acme", "a", half))).isTrue();
        assertThat(inbox.offer(email("acme", "b", half))).isTrue();
        assertThat(inbox.offer(email("acme", "c", 1))).as("past the bound: written to the topic instead").isFalse();

        inbox.take(queue);
        assertThat(inbox.offer(email("acme", "c", 1))).isTrue();
        // The task goes: what it held is dropped and no longer counts.
        inbox.unregister(0, queue);
        Queue<PendingEmail> next = inbox.register(0);
        assertThat(inbox.offer(email("acme", "d", half))).isTrue();
        assertThat(inbox.offer(email("acme", "e", half))).isTrue();
        assertThat(next).hasSize(2);
    }

    @Test
    void shouldHaveTheIntakeHandOverItsHighEmailsOnly() {
        inbox.partitions(PARTITIONS);
        Queue<PendingEmail> queue = inbox.register(HighInbox.partitionOf("default", PARTITIONS));
        IntakeProcessor intake = new IntakeProcessor(TopicNames.defaults(), MailerMetrics.inMemory(), inbox);
        MockProcessorContext<byte[], Routed> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(AT.toEpochMilli());
        context.setRecordMetadata("mail.outbox", 0, 7);
        intake.init(context);

        intake.process(record("n1", false, new RecordHeaders()));
        RecordHeaders handover = new RecordHeaders();
        handover.add(Handover.HEADER, new byte[] {1});
        intake.process(record("h0", true, handover));
        intake.process(record("h1", true, new RecordHeaders()));

        PendingEmail handed = inbox.take(queue);
        assertThat(handed.emailId()).isEqualTo("h1");
        assertThat(handed.source()).isEqualTo("mail.outbox/0/7");
        assertThat(inbox.take(queue)).isNull();
        // Every one of them still goes on through the topology, the HIGH one to its repartition too.
        assertThat(context.forwarded()).hasSize(3);
    }

    private static Record<byte[], byte[]> record(String id, boolean high, RecordHeaders headers) {
        String json = TopologyFixture.email(id, "default");
        if (high) {
            json = json.replace("\"text\":\"Hi\"", "\"text\":\"Hi\",\"priority\":\"HIGH\"");
        }
        return new Record<>(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8),
                AT.toEpochMilli(), headers);
    }
}
