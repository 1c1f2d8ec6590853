package io.github.kafkamailer.admin;

import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
    /** The statuses that end an email's sending (a {@code BOUNCED} may still follow a {@code SENT}). */
    public static final Set<Status> FINAL = Set.of(Status.SENT, Status.DRAFTED, Status.DEAD_LETTERED, Status.SKIPPED,
            Status.SUPPRESSED, Status.BOUNCED);

    private final KafkaAccess kafka;
    private final TopicNames topics;

    public StatusAdmin(Properties kafkaClientProps, TopicNames topics, Duration timeout) {
        this(new KafkaAccess(kafkaClientProps, timeout), topics);
    }

    public StatusAdmin(KafkaAccess kafka, TopicNames topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /** Where the statuses of some emails would be appended next: to wait for those that come after now. */
    public record Mark(Map<TopicPartition, Long> offsets) {
        public Mark {
            offsets = Map.copyOf(offsets);
        }
    }

    /** The statuses of the email (of that tenant, when given), oldest first. */
    public List<StatusEvent> history(String id, String tenantOrNull) {
        return history(id, tenantOrNull, null);
    }

    /** The email's statuses up to {@code untilOrNull} (a {@link #mark}), or to the end now when null. */
    public List<StatusEvent> history(String id, String tenantOrNull, Mark untilOrNull) {
        List<StatusEvent> out = new ArrayList<>();
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            List<TopicPartition> tps = untilOrNull != null ? new ArrayList<>(untilOrNull.offsets().keySet())
                    : partitionsOf(consumer, List.of(id));
            kafka.scan(consumer, tps, null, untilOrNull != null ? untilOrNull.offsets() : kafka.endOffsets(consumer, tps),
                    r -> matching(r, Set.of(id), tenantOrNull).ifPresent(out::add));
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
        return out;
    }

    /** The end of the email's partition now: statuses after it are new. */
    public Mark mark(String id) {
        return mark(List.of(id));
    }

    /** The end, now, of the partitions that these emails' statuses go to. */
    public Mark mark(Collection<String> ids) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            return new Mark(kafka.endOffsets(consumer, partitionsOf(consumer, ids)));
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
    }

    /**
     * Hands each status of the email to {@code each}: those after {@code fromOrNull} (the whole history when
     * null), then each new one as it comes, until {@code keepGoing} says stop (checked at least every 200 ms).
     */
    public void follow(String id, String tenantOrNull, Mark fromOrNull, Consumer<StatusEvent> each,
                       BooleanSupplier keepGoing) {
        follow(Set.of(id), tenantOrNull, fromOrNull, each, keepGoing);
    }

    private void follow(Set<String> ids, String tenantOrNull, Mark fromOrNull, Consumer<StatusEvent> each,
                        BooleanSupplier keepGoing) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            List<TopicPartition> partitions = fromOrNull != null ? new ArrayList<>(fromOrNull.offsets().keySet())
                    : partitionsOf(consumer, ids);
            consumer.assign(partitions);
            if (fromOrNull != null) {
                partitions.forEach(tp -> consumer.seek(tp, fromOrNull.offsets().get(tp)));
            } else {
                consumer.seekToBeginning(partitions);
            }
            while (keepGoing.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    matching(r, ids, tenantOrNull).ifPresent(each);
                }
            }
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
    }

    /** The email's first final status after {@code from}, waiting up to {@code wait}; empty if none came. */
    public Optional<StatusEvent> awaitFinal(String id, String tenantOrNull, Mark from, Duration wait) {
        return Optional.ofNullable(awaitFinal(List.of(id), tenantOrNull, from, wait, s -> { }).get(id));
    }

    /**
     * The first final status of each email after {@code from}, waiting up to {@code wait} in all; the emails
     * missing from the answer got none in time. {@code onFinal} hears each as it comes.
     */
    public Map<String, StatusEvent> awaitFinal(Collection<String> ids, String tenantOrNull, Mark from, Duration wait,
                                               Consumer<StatusEvent> onFinal) {
        Map<String, StatusEvent> found = new java.util.LinkedHashMap<>();
        Set<String> wanted = Set.copyOf(ids);
        long deadline = System.nanoTime() + wait.toNanos();
        follow(wanted, tenantOrNull, from, s -> {
            if (FINAL.contains(s.status()) && !found.containsKey(s.id())) {
                found.put(s.id(), s);
                onFinal.accept(s);
            }
        }, () -> found.size() < wanted.size() && System.nanoTime() < deadline);
        return found;
    }

    /** The partitions the default partitioner gives these ids, in partition order. */
    private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, Collection<String> ids) {
        List<TopicPartition> all = kafka.partitions(consumer, topics.status());
        java.util.SortedSet<Integer> numbers = new java.util.TreeSet<>();
        for (String id : ids) {
            numbers.add(KafkaAccess.partitionOf(id.getBytes(StandardCharsets.UTF_8), all.size()));
        }
        return numbers.stream().map(all::get).toList();
    }

    private static Optional<StatusEvent> matching(ConsumerRecord<byte[], byte[]> r, Set<String> ids,
                                                  String tenantOrNull) {
        if (r.key() == null || r.value() == null || !ids.contains(new String(r.key(), StandardCharsets.UTF_8))) {
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
