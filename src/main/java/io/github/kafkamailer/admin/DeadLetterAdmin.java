package io.github.kafkamailer.admin;

import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads and replays the dead-letter topic without loading it: a listing streams through the topic (from
 * {@code since} when given, found by timestamp) and keeps the newest {@code limit} letters only; whether a
 * letter's email was sent later is read from the status topic, in the partitions of those ids only, from the
 * oldest letter's time on. A listing may keep only the first bytes of each value; a replay reads the chosen
 * letters again by their place on the topic and publishes them a chunk at a time (at most {@code replayChunk}
 * letters or {@link #REPLAY_CHUNK_BYTES} held at once), so neither grows with the number of letters.
 */
public final class DeadLetterAdmin implements AutoCloseable {
    /** Oldest first; the tie-break keeps the order stable across partitions. */
    private static final Comparator<DeadLetter> ORDER = Comparator.comparing(DeadLetter::deadLetteredAt)
            .thenComparingInt(DeadLetter::partition).thenComparingLong(DeadLetter::offset);

    /** How many letters a replay holds at most at once, by default. */
    public static final int REPLAY_CHUNK = 200;
    /** How many bytes of values a replay holds at most at once (one letter more when a single one is larger). */
    public static final int REPLAY_CHUNK_BYTES = 16 * 1024 * 1024;

    private final KafkaAccess kafka;
    private final TopicNames topics;
    private final int replayChunk;

    public DeadLetterAdmin(Properties kafkaClientProps, TopicNames topics, Duration timeout) {
        this(new KafkaAccess(kafkaClientProps, timeout), topics);
    }

    public DeadLetterAdmin(KafkaAccess kafka, TopicNames topics) {
        this(kafka, topics, REPLAY_CHUNK);
    }

    /** @param replayChunk how many letters a replay holds at most at once (at least 1) */
    public DeadLetterAdmin(KafkaAccess kafka, TopicNames topics, int replayChunk) {
        if (replayChunk < 1) {
            throw new IllegalArgumentException("replayChunk must be at least 1, got " + replayChunk);
        }
        this.kafka = kafka;
        this.topics = topics;
        this.replayChunk = replayChunk;
    }

    /** The newest letters that pass the filter, at most {@code filter.limit()}, oldest first, later-SENT marked. */
    public List<DeadLetter> list(DeadLetterFilter filter) {
        return list(filter, Integer.MAX_VALUE);
    }

    /** As {@link #list(DeadLetterFilter)}, each letter holding at most the first {@code maxValueBytes} of its value. */
    public List<DeadLetter> list(DeadLetterFilter filter, int maxValueBytes) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            return markLaterSent(newest(consumer, filter, endOffsets(consumer), maxValueBytes));
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
    }

    /**
     * Lists as {@link #list} does, handing each letter to {@code each}, then goes on with the letters that arrive,
     * as they arrive, until {@code keepGoing} says stop (checked at least every 200 ms). The letters come without
     * their values ({@link DeadLetter#valueCut}), so the listing stays small; {@link #find} reads one whole.
     */
    public void follow(DeadLetterFilter filter, Consumer<DeadLetter> each, BooleanSupplier keepGoing) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            Map<TopicPartition, Long> end = endOffsets(consumer);
            markLaterSent(newest(consumer, filter, end, 0)).forEach(each);
            List<TopicPartition> partitions = new ArrayList<>(end.keySet());
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, end.get(tp)));
            while (keepGoing.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    DeadLetter d = DeadLetter.of(r);
                    if (filter.accepts(d)) {
                        each.accept(d.withValueCut(0));
                    }
                }
            }
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
    }

    /**
     * The latest dead letter of each tenant's email with this id, oldest first, later-SENT marked (each against
     * its own tenant's statuses); empty when there is none. Two tenants may use one id: they are two emails.
     */
    public List<DeadLetter> latestOfEachTenant(String id) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        Map<String, DeadLetter> latest = new java.util.LinkedHashMap<>();
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            List<TopicPartition> all = kafka.partitions(consumer, topics.dlq());
            // The mailer keys a dead letter by the email id, so the default partitioner put it in this partition.
            List<TopicPartition> one = List.of(all.get(KafkaAccess.partitionOf(key, all.size())));
            kafka.scan(consumer, one, null, kafka.endOffsets(consumer, one), r -> {
                if (r.key() != null && java.util.Arrays.equals(key, r.key())) {
                    DeadLetter d = DeadLetter.of(r);
                    latest.remove(d.tenant());
                    latest.put(d.tenant(), d);
                }
            });
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
        List<DeadLetter> out = new ArrayList<>(latest.values());
        out.sort(ORDER);
        return out.isEmpty() ? out : markLaterSent(out);
    }

    /** The latest dead letter of this tenant's email id, later-SENT marked; empty when there is none. */
    public Optional<DeadLetter> find(String tenant, String id) {
        return latestOfEachTenant(id).stream().filter(d -> d.tenant().equals(tenant)).findFirst();
    }

    /**
     * The letter at this place on the dead-letter topic (what the console names a letter by: unique, unlike an
     * id), later-SENT marked; empty when there is none there.
     */
    public Optional<DeadLetter> at(int partition, long offset) {
        DeadLetter[] found = new DeadLetter[1];
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            List<TopicPartition> all = kafka.partitions(consumer, topics.dlq());
            if (partition < 0 || partition >= all.size() || offset < 0) {
                return Optional.empty();
            }
            List<TopicPartition> one = List.of(all.get(partition));
            Map<TopicPartition, Long> end = kafka.endOffsets(consumer, one);
            if (end.get(one.get(0)) <= offset) {
                return Optional.empty();
            }
            kafka.scan(consumer, one, Map.of(one.get(0), offset), Map.of(one.get(0), offset + 1), r -> {
                if (r.offset() == offset) {
                    found[0] = DeadLetter.of(r);
                }
            });
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
        return found[0] == null ? Optional.empty() : Optional.of(markLaterSent(List.of(found[0])).get(0));
    }

    /**
     * Publishes the letters' original key and value to the outbox, without the dead-letter headers: the mailer
     * starts their attempts afresh (an email already sent is dropped there as a duplicate). Letters without a
     * key or value are skipped (there is nothing to send again).
     *
     * @return how many were published
     */
    public int replay(List<DeadLetter> letters) {
        return replay(letters, n -> { });
    }

    /**
     * As {@link #replay(List)}, streaming: the letters (whose values may be cut) are read again from the
     * dead-letter topic by their place, partition by partition, and published a chunk at a time; {@code progress}
     * hears how many are published after each chunk, and nothing of a chunk is held once it is published.
     */
    public int replay(List<DeadLetter> letters, IntConsumer progress) {
        Map<TopicPartition, TreeSet<Long>> wanted = new TreeMap<>(
                Comparator.comparingInt(TopicPartition::partition));
        for (DeadLetter d : letters) {
            if (d.replayable()) {
                wanted.computeIfAbsent(new TopicPartition(topics.dlq(), d.partition()), tp -> new TreeSet<>())
                        .add(d.offset());
            }
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        kafka.requireTopic(topics.outbox());
        ReplayChunk chunk = new ReplayChunk(progress);
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            chunk.producer = producer;
            wanted.forEach((tp, offsets) -> kafka.scan(consumer, List.of(tp), Map.of(tp, offsets.first()),
                    Map.of(tp, offsets.last() + 1), r -> {
                        if (offsets.contains(r.offset()) && r.key() != null && r.value() != null) {
                            chunk.add(r.key(), r.value());
                        }
                    }));
            chunk.publish();
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
        return chunk.published;
    }

    /** The letters read and not yet published: at most {@code replayChunk} of them, or the bytes' bound. */
    private final class ReplayChunk {
        private final IntConsumer progress;
        private final List<ProducerRecord<byte[], byte[]>> held = new ArrayList<>();
        private KafkaProducer<byte[], byte[]> producer;
        private long bytes;
        private int published;

        ReplayChunk(IntConsumer progress) {
            this.progress = progress;
        }

        void add(byte[] key, byte[] value) {
            held.add(new ProducerRecord<>(topics.outbox(), key, value));
            bytes += key.length + value.length;
            if (held.size() >= replayChunk || bytes >= REPLAY_CHUNK_BYTES) {
                publish();
            }
        }

        /** Publishes what is held and waits for every acknowledgement; throws on the first failure. */
        void publish() {
            if (held.isEmpty()) {
                return;
            }
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            held.forEach(r -> sent.add(producer.send(r)));
            producer.flush();
            for (var f : sent) {
                try {
                    f.get();
                    published++;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot publish to " + topics.outbox() + " after " + published
                            + " record(s): " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted after " + published + " record(s)", e);
                }
            }
            held.clear();
            bytes = 0;
            progress.accept(published);
        }
    }

    private Map<TopicPartition, Long> endOffsets(KafkaConsumer<byte[], byte[]> consumer) {
        return kafka.endOffsets(consumer, kafka.partitions(consumer, topics.dlq()));
    }

    private List<DeadLetter> newest(KafkaConsumer<byte[], byte[]> consumer, DeadLetterFilter filter,
                                    Map<TopicPartition, Long> end, int maxValueBytes) {
        List<TopicPartition> partitions = new ArrayList<>(end.keySet());
        Map<TopicPartition, Long> start = filter.sinceOrNull() == null ? null
                : kafka.offsetsSince(consumer, partitions, filter.sinceOrNull(), end);
        // The oldest kept letter is the first to go when a newer one comes: memory stays at `limit` letters.
        PriorityQueue<DeadLetter> kept = new PriorityQueue<>(ORDER);
        kafka.scan(consumer, partitions, start, end, r -> {
            DeadLetter d = DeadLetter.of(r);
            if (filter.accepts(d)) {
                kept.add(d.withValueCut(maxValueBytes));
                if (kept.size() > filter.limit()) {
                    kept.poll();
                }
            }
        });
        List<DeadLetter> out = new ArrayList<>(kept);
        out.sort(ORDER);
        return out;
    }

    /** The letters, each marked when its id got SENT or DRAFTED (same tenant) after it was dead-lettered. */
    private List<DeadLetter> markLaterSent(List<DeadLetter> letters) {
        Set<String> ids = new HashSet<>();
        Instant oldest = null;
        for (DeadLetter d : letters) {
            if (!d.id().isEmpty()) {
                ids.add(d.id());
                oldest = oldest == null || d.deadLetteredAt().isBefore(oldest) ? d.deadLetteredAt() : oldest;
            }
        }
        if (ids.isEmpty()) {
            return letters;
        }
        Map<String, List<StatusEvent>> sent = new HashMap<>();
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            List<TopicPartition> all;
            try {
                all = kafka.partitions(consumer, topics.status());
            } catch (TopicMissingException noStatusTopic) {
                // Nothing can be known of later sends; the dead letters themselves are still worth listing.
                return letters;
            }
            Set<TopicPartition> wanted = new HashSet<>();
            for (String id : ids) {
                wanted.add(all.get(KafkaAccess.partitionOf(id.getBytes(StandardCharsets.UTF_8), all.size())));
            }
            List<TopicPartition> partitions = new ArrayList<>(wanted);
            Map<TopicPartition, Long> end = kafka.endOffsets(consumer, partitions);
            Map<TopicPartition, Long> start = kafka.offsetsSince(consumer, partitions, oldest, end);
            kafka.scan(consumer, partitions, start, end, r -> {
                String id = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                if (id == null || !ids.contains(id) || r.value() == null) {
                    return;
                }
                try {
                    StatusEvent s = StatusEventJson.parse(r.value());
                    if (s.status() == Status.SENT || s.status() == Status.DRAFTED) {
                        sent.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
                    }
                } catch (RuntimeException unreadable) {
                    // Not a status the mailer wrote: it says nothing about this email.
                }
            });
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
        List<DeadLetter> out = new ArrayList<>(letters.size());
        for (DeadLetter d : letters) {
            boolean later = sent.getOrDefault(d.id(), List.of()).stream()
                    .anyMatch(s -> !s.at().isBefore(d.deadLetteredAt())
                            && ("unknown".equals(d.tenant()) || d.tenant().equals(s.tenant())));
            out.add(later ? d.withLaterSent(true) : d);
        }
        return out;
    }

    @Override
    public void close() {
        // Each call uses clients of its own and closes them; nothing is held between calls.
    }
}
