package io.github.kafkamailer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POOLED-n, the hand-written reference of issue 17: its connections reused, its commit after the poll's sends. */
class PooledConsumerTest {
    private static final TopicPartition P0 = new TopicPartition("bench.t.outbox", 0);
    private static final TopicPartition P1 = new TopicPartition("bench.t.outbox", 1);

    private SmtpSink sink;
    private SmtpSink.Tally tally;
    /** What the sink held when each commit was asked for. */
    private final List<Integer> deliveredAtCommit = new java.util.ArrayList<>();
    private MockConsumer<String, byte[]> consumer;
    private final long[] nextOffset = new long[2];

    @BeforeEach
    void start() throws Exception {
        sink = SmtpSink.start();
        tally = sink.reset();
        consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized void commitSync() {
                deliveredAtCommit.add(tally.distinct());
                super.commitSync();
            }
        };
        consumer.assign(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    @AfterEach
    void stop() {
        sink.close();
    }

    @Test
    void shouldSendEachPollOverItsReusedConnectionsAndCommitOnceAllAreSent() throws Exception {
        try (PooledConsumer pooled = pooled(4)) {
            publish(0, 20);
            assertThat(pooled.pollOnce(Duration.ZERO)).isEqualTo(20);
            assertThat(tally.distinct()).isEqualTo(20);
            assertThat(deliveredAtCommit).as("committed after the poll's last email, once").containsExactly(20);
            assertThat(committed()).isEqualTo(20);

            publish(20, 8);
            assertThat(pooled.pollOnce(Duration.ZERO)).isEqualTo(8);
            assertThat(tally.distinct()).isEqualTo(28);
            assertThat(tally.duplicates()).isZero();
            assertThat(deliveredAtCommit).containsExactly(20, 28);
            assertThat(committed()).isEqualTo(28);
            assertThat(tally.sessions()).as("one connection per lane, kept over the polls").isEqualTo(4);
        }
    }

    @Test
    void shouldKeepOneConnectionWithOneLane() throws Exception {
        try (PooledConsumer pooled = pooled(1)) {
            publish(0, 5);
            pooled.pollOnce(Duration.ZERO);
            publish(5, 5);
            pooled.pollOnce(Duration.ZERO);
            assertThat(tally.distinct()).isEqualTo(10);
            assertThat(tally.sessions()).isEqualTo(1);
        }
    }

    @Test
    void shouldNeitherSendNorCommitWhenThePollBringsNothing() throws Exception {
        try (PooledConsumer pooled = pooled(4)) {
            assertThat(pooled.pollOnce(Duration.ZERO)).isZero();
            assertThat(deliveredAtCommit).isEmpty();
            assertThat(tally.sessions()).isZero();
        }
    }

    @Test
    void shouldReportAnEmailItCannotBuildAndGoOnWithoutRetrying() throws Exception {
        try (PooledConsumer pooled = pooled(2)) {
            consumer.addRecord(new ConsumerRecord<>(P0.topic(), 0, nextOffset[0]++, "broken",
                    "{not json".getBytes(StandardCharsets.UTF_8)));
            publish(0, 3);
            assertThat(pooled.pollOnce(Duration.ZERO)).isEqualTo(4);
            assertThat(tally.distinct()).isEqualTo(3);
            assertThat(committed()).isEqualTo(4);
        }
    }

    private PooledConsumer pooled(int connections) {
        return new PooledConsumer(consumer, ReferenceClients.reusedConnections("127.0.0.1",
                Integer.toString(sink.port())), BenchEmails.POSTMASTER, connections);
    }

    /** Emails {@code from} .. {@code from + count - 1}, alternating between the two partitions. */
    private void publish(int from, int count) {
        for (int seq = from; seq < from + count; seq++) {
            int p = seq % 2;
            consumer.addRecord(new ConsumerRecord<>(P0.topic(), p, nextOffset[p]++, BenchEmails.id("t", seq),
                    BenchEmails.event("t", seq, -1)));
        }
    }

    /** The committed offsets of both partitions, summed: the records the commits cover. */
    private long committed() {
        Map<TopicPartition, OffsetAndMetadata> c = consumer.committed(Set.of(P0, P1));
        return c.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
    }
}
