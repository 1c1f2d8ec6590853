package io.github.kafkamailer.topology;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the outbox ahead of the intake while the intake is behind, and puts each HIGH email it finds straight on
 * the HIGH emails' repartition ({@link HighPath}), where the sending task takes it before anything else.
 *
 * <p>Why: the intake reads each outbox partition in order, so a HIGH email published behind a burst of normal
 * ones waited for the intake to read through them (measured: 16 s behind 20,000 published at once, while the
 * intake shared its thread with the sending). This reader only looks for HIGH emails: records whose bytes can't
 * hold one are passed over unparsed, and it reads only the partitions whose intake runs in this process and only
 * while that intake is behind ({@link #check}).
 *
 * <p>Nothing here is needed for correctness: the intake still takes every record in, HIGH ones included, and the
 * sending task takes one copy per outbox record (by its {@code source}, the record's place) and drops the other,
 * whichever comes first. A copy lost here (a crash, a failed write) only leaves the email to the intake. What it
 * forwards is exactly what the intake would ({@link IntakeProcessor#accept}), read committed (an aborted record is
 * never forwarded), to the partition Kafka Streams' own partitioning gives the tenant, so both copies meet in the
 * same task.
 */
public final class HighLookahead implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HighLookahead.class);
    /** Records an intake partition may be behind its end before this reads ahead: about a fifth of a second. */
    static final long BEHIND = 200;
    /** How late the intake may be at a partition's end before this reads ahead, however few records behind. */
    static final Duration LATE = Duration.ofMillis(300);
    /** How often the partitions owned here, the intake's offsets and the ends are looked at again. */
    static final Duration CHECK_EVERY = Duration.ofMillis(100);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);
    /** Every HIGH email's JSON holds these bytes, unless a producer escapes the letters (then the intake takes it). */
    private static final byte[] MARK = "HIGH".getBytes(StandardCharsets.US_ASCII);

    /** The intake's committed offsets, the next record it will read, of some outbox partitions. */
    public interface IntakeOffsets {
        Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) throws Exception;
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final String outbox;
    private final String highTopic;
    private final Supplier<Set<Integer>> owned;
    private final IntakeOffsets intake;
    private final Clock clock;
    private final HighInbox inbox;
    /** Quiet: the intake says once per tenant when a timestamp runs ahead of the clock. */
    private final ArrivalTimes arrivals = new ArrivalTimes(false);
    /** The next offset to read of each partition being read ahead. */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    /** Each owned partition's ends as seen at the checks of about the last {@link #LATE}, oldest first. */
    private final Map<TopicPartition, java.util.Deque<long[]>> endsSeen = new HashMap<>();
    private final AtomicLong forwarded = new AtomicLong();
    private Set<TopicPartition> reading = Set.of();
    private long nextCheckMs;
    private Thread thread;
    private volatile boolean closed;
    private boolean failing;

    /**
     * @param consumer  reads the outbox: read committed, no group, auto-commit off
     * @param producer  writes the HIGH repartition: plain (not transactional), idempotent
     * @param owned     the outbox partitions whose intake runs in this process now (empty while it doesn't run)
     * @param inbox     where a sending task of this process takes the HIGH emails of its partition from
     */
    public HighLookahead(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, String outbox,
                         String applicationId, Supplier<Set<Integer>> owned, IntakeOffsets intake, Clock clock,
                         HighInbox inbox) {
        this.inbox = inbox;
        this.consumer = consumer;
        this.producer = producer;
        this.outbox = outbox;
        this.highTopic = HighPath.topic(applicationId);
        this.owned = owned;
        this.intake = intake;
        this.clock = clock;
    }

    /** Starts reading ahead on a daemon thread of its own; returns this. */
    public HighLookahead start(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * HIGH emails handed to their sending task ahead of the intake since the start: in memory, or written to their
     * repartition (counted once the write is acknowledged).
     */
    public long forwarded() {
        return forwarded.get();
    }

    private void run() {
        while (!closed) {
            try {
                step();
                if (failing) {
                    LOG.info("Reading the outbox ahead of the intake works again");
                    failing = false;
                }
            } catch (WakeupException e) {
                // close()
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    // Once per failing spell: the intake still takes every HIGH email in, only later.
                    LOG.warn("Reading the outbox ahead of the intake failed; HIGH emails wait for the intake until it"
                            + " works again: {}", e.toString());
                    failing = true;
                }
                try {
                    Thread.sleep(AFTER_FAILURE.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One turn: looks at the positions when due, then reads what is there (or waits a check's time). */
    void step() throws Exception {
        long now = clock.millis();
        if (now >= nextCheckMs) {
            check();
            nextCheckMs = now + CHECK_EVERY.toMillis();
        }
        if (reading.isEmpty()) {
            Thread.sleep(CHECK_EVERY.toMillis());
            return;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            if (mayBeHigh(r.value())) {
                forward(r);
            }
        }
    }

    /**
     * Reads ahead the owned partitions whose intake is more than {@link #BEHIND} records behind their end, or late:
     * not yet at the end the partition had {@link #LATE} ago (measured: after a burst, while the task sent it, the
     * intake took over a second to read the next record, a few records behind); each from where this read last or
     * where the intake is, whichever is further. Stops reading the others.
     */
    void check() throws Exception {
        // Before the first burst too: the intake hands its HIGH emails over in memory once the inbox knows this.
        inbox.partitions(highPartitions());
        Set<TopicPartition> mine = new HashSet<>();
        for (int p : owned.get()) {
            mine.add(new TopicPartition(outbox, p));
        }
        if (mine.isEmpty()) {
            setReading(Set.of(), Map.of());
            return;
        }
        Map<TopicPartition, Long> committed = intake.committed(mine);
        Map<TopicPartition, Long> ends = consumer.endOffsets(mine);
        long now = clock.millis();
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition tp : mine) {
            Long end = ends.get(tp);
            Long at = committed.get(tp);
            if (end == null || at == null) {
                continue;
            }
            Long endThen = endSeen(tp, now, end);
            if (end - at > BEHIND || (endThen != null && at < endThen)) {
                from.put(tp, Math.max(at, next.getOrDefault(tp, at)));
            }
        }
        endsSeen.keySet().retainAll(mine);
        setReading(from.keySet(), from);
    }

    /**
     * Remembers {@code end} as the partition's end at {@code now}; returns its end as last seen at or before
     * {@link #LATE} ago, null when not seen that long.
     */
    private Long endSeen(TopicPartition tp, long now, long end) {
        java.util.Deque<long[]> seen = endsSeen.computeIfAbsent(tp, k -> new java.util.ArrayDeque<>());
        seen.addLast(new long[] {now, end});
        long then = now - LATE.toMillis();
        // Keep the last sighting at or before then, and those after it.
        long[] first = seen.removeFirst();
        while (!seen.isEmpty() && seen.peekFirst()[0] <= then) {
            first = seen.removeFirst();
        }
        seen.addFirst(first);
        return first[0] <= then ? first[1] : null;
    }

    private void setReading(Set<TopicPartition> partitions, Map<TopicPartition, Long> from) {
        if (!partitions.equals(reading)) {
            consumer.assign(partitions);
            if (partitions.size() > reading.size()) {
                LOG.debug("Reading ahead of the intake: {}", partitions);
            }
        }
        for (TopicPartition tp : partitions) {
            long at = from.get(tp);
            if (!reading.contains(tp) || at > next.getOrDefault(tp, -1L)) {
                consumer.seek(tp, at);
                next.put(tp, at);
            }
        }
        next.keySet().retainAll(partitions);
        reading = Set.copyOf(partitions);
    }

    private void forward(ConsumerRecord<byte[], byte[]> r) {
        PendingEmail email;
        try {
            email = IntakeProcessor.accept(r.key(), r.value(), r.timestamp(),
                    RawIntake.source(r.topic(), r.partition(), r.offset()), arrivals, clock.millis());
        } catch (RuntimeException e) {
            return; // what the intake refuses, it sends to the dead-letter topic itself
        }
        if (!email.isHigh()) {
            return;
        }
        byte[] key = email.tenant().getBytes(StandardCharsets.UTF_8);
        int partition = HighInbox.partitionOf(email.tenant(), highPartitions());
        // The sending task reads a repartition record's headers only to tell a handover: the rest can go in memory.
        if (!HandoverIntake.isHandover(r.headers()) && inbox.offer(partition, email)) {
            // Its sending task runs here: handed over in memory, taken in at the task's next tick.
            forwarded.incrementAndGet();
            LOG.debug("HIGH email '{}' of tenant '{}' at {} handed to its sending task ahead of the intake",
                    email.emailId(), email.tenant(), email.source());
            return;
        }
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(highTopic, partition, HighPath.HIGH_FIRST,
                key, PendingEmailSerde.write(email), r.headers());
        producer.send(copy, (meta, e) -> {
            if (e != null) {
                LOG.debug("A HIGH email read ahead of the intake could not be written ({}); the intake takes it",
                        e.toString());
            } else {
                // Counted once written: a copy that failed was not put ahead of the intake.
                forwarded.incrementAndGet();
            }
        });
        LOG.debug("HIGH email '{}' of tenant '{}' at {} put on {} ahead of the intake", email.emailId(),
                email.tenant(), email.source(), highTopic);
    }

    /** The HIGH repartition's partitions, from the producer's metadata (cached, refreshed by the client). */
    private int highPartitions() {
        return producer.partitionsFor(highTopic).size();
    }

    /** True when {@code value} holds the bytes of {@code HIGH}. */
    static boolean mayBeHigh(byte[] value) {
        if (value == null) {
            return false;
        }
        outer:
        for (int i = 0, last = value.length - MARK.length; i <= last; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (value[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The consumer is the thread's: closed once it stopped (or, never started, here).
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("Closing the look-ahead consumer: {}", e.toString());
        }
        producer.close(Duration.ofSeconds(5));
    }
}
