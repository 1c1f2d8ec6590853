package io.github.kafkamailer.admin;

import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.topology.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The status history of one email, from the status topic. The mailer keys a status by the email id, so the
 * default partitioner put all of an email's statuses in one partition: only that one is read.
 */
public final class StatusAdmin implements AutoCloseable {
    /** The statuses after which nothing more happens to an email. */
    public static final Set<Status> FINAL = Set.of(Status.SENT, Status.DRAFTED, Status.DEAD_LETTERED, Status.SKIPPED);

    private final KafkaAccess kafka;
    private final TopicNames topics;

    public StatusAdmin(Properties kafkaClientProps, TopicNames topics, Duration timeout) {
        this(new KafkaAccess(kafkaClientProps, timeout), topics);
    }

    public StatusAdmin(KafkaAccess kafka, TopicNames topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /** Where the email's statuses would be appended next: to wait for those that come after now. */
    public record Mark(TopicPartition partition, long offset) {
    }

    /** The statuses of the email (of that tenant, when given), oldest first. */
    public List<StatusEvent> history(String id, String tenantOrNull) {
        List<StatusEvent> out = new ArrayList<>();
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            TopicPartition tp = partitionOf(consumer, id);
            kafka.scan(consumer, List.of(tp), null, kafka.endOffsets(consumer, List.of(tp)),
                    r -> matching(r, id, tenantOrNull).ifPresent(out::add));
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
        return out;
    }

    /** The end of the email's partition now: statuses after it are new. */
    public Mark mark(String id) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            TopicPartition tp = partitionOf(consumer, id);
            return new Mark(tp, kafka.endOffsets(consumer, List.of(tp)).get(tp));
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
    }

    /**
     * Hands each status of the email to {@code each}: those from {@code fromOrNull} on (the whole history when
     * null), then each new one as it comes, until {@code keepGoing} says stop (checked at least every 200 ms).
     */
    public void follow(String id, String tenantOrNull, Mark fromOrNull, Consumer<StatusEvent> each,
                       BooleanSupplier keepGoing) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            TopicPartition tp = fromOrNull != null ? fromOrNull.partition() : partitionOf(consumer, id);
            consumer.assign(List.of(tp));
            if (fromOrNull != null) {
                consumer.seek(tp, fromOrNull.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
            while (keepGoing.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    matching(r, id, tenantOrNull).ifPresent(each);
                }
            }
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
    }

    /** The email's first final status after {@code from}, waiting up to {@code wait}; empty if none came. */
    public Optional<StatusEvent> awaitFinal(String id, String tenantOrNull, Mark from, Duration wait) {
        StatusEvent[] found = new StatusEvent[1];
        long deadline = System.nanoTime() + wait.toNanos();
        follow(id, tenantOrNull, from, s -> {
            if (found[0] == null && FINAL.contains(s.status())) {
                found[0] = s;
            }
        }, () -> found[0] == null && System.nanoTime() < deadline);
        return Optional.ofNullable(found[0]);
    }

    private TopicPartition partitionOf(KafkaConsumer<byte[], byte[]> consumer, String id) {
        List<TopicPartition> all = kafka.partitions(consumer, topics.status());
        return all.get(KafkaAccess.partitionOf(id.getBytes(StandardCharsets.UTF_8), all.size()));
    }

    private static Optional<StatusEvent> matching(ConsumerRecord<byte[], byte[]> r, String id, String tenantOrNull) {
        if (r.key() == null || r.value() == null || !Arrays.equals(r.key(), id.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        try {
            StatusEvent s = StatusEventJson.parse(r.value());
            return tenantOrNull == null || tenantOrNull.equals(s.tenant()) ? Optional.of(s) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        // Each call uses clients of its own and closes them; nothing is held between calls.
    }
}
