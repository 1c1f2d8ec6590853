package io.github.kafkamailer.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;

/**
 * Where {@link HighLookahead} and the intake hand a HIGH email straight to the sending task of this process that owns
 * its tenant's partition, beside the trip through the HIGH repartition topic: each sending task registers its partition while it runs and takes what
 * came in at its next tick, into its store and run, in its own transaction, as it takes what its senders return.
 *
 * <p>Why: measured under a burst, a HIGH email the look-ahead found within tens of milliseconds then waited seconds
 * in its repartition topic before the task's consumer fetched it (the fetches were busy with the burst), and so did
 * one the intake forwarded while the task was sending. What is handed here and lost (a crash, a task that moves
 * before its tick) costs nothing: the copy on the repartition topic still comes, and the task keeps whichever copy
 * of an outbox record comes first.
 * Bounded in bytes, so a producer marking everything HIGH can't fill the heap: past the bound the look-ahead writes
 * to the repartition topic instead.
 */
public final class HighInbox {
    /** Bytes of emails waiting for their task's tick, over all tasks, at most. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private final Map<Integer, Queue<PendingEmail>> byPartition = new ConcurrentHashMap<>();
    /** Partitions of the repartitions by tenant; 0 until known (then the intake hands nothing over in memory). */
    private volatile int partitions;
    private final AtomicLong bytes = new AtomicLong();

    /** The repartitions' number of partitions, which a tenant's partition is drawn from; set once it is known. */
    public void partitions(int count) {
        this.partitions = count;
    }

    /**
     * Hands {@code email} to this process's sending task of its tenant's partition, if it runs here; false when it
     * doesn't, the partitions aren't known yet, or the inbox is full.
     */
    boolean offer(PendingEmail email) {
        int n = partitions;
        return n > 0 && offer(partitionOf(email.tenant(), n), email);
    }

    /** The partition Kafka Streams writes a tenant to when no partitioner is given: the producer's for a keyed record. */
    static int partitionOf(String tenant, int partitions) {
        return Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The queue a sending task of {@code partition} takes from; registered until {@link #unregister}. */
    Queue<PendingEmail> register(int partition) {
        Queue<PendingEmail> queue = new ConcurrentLinkedQueue<>();
        byPartition.put(partition, queue);
        return queue;
    }

    /** The task let its partition go: what it didn't take is dropped (the intake's copies still come). */
    void unregister(int partition, Queue<PendingEmail> queue) {
        if (byPartition.remove(partition, queue)) {
            PendingEmail e;
            while ((e = queue.poll()) != null) {
                bytes.addAndGet(-e.value().length);
            }
        }
    }

    /** False when no task of this process owns {@code partition} now, or the inbox is full. */
    boolean offer(int partition, PendingEmail email) {
        Queue<PendingEmail> queue = byPartition.get(partition);
        if (queue == null || bytes.get() + email.value().length > MAX_BYTES) {
            return false;
        }
        bytes.addAndGet(email.value().length);
        queue.add(email);
        if (byPartition.get(partition) != queue && queue.remove(email)) {
            // Its task let the partition go meanwhile: not taken, not counted.
            bytes.addAndGet(-email.value().length);
            return false;
        }
        return true;
    }

    /** The next email handed to the task that holds {@code queue}; null when none. */
    PendingEmail take(Queue<PendingEmail> queue) {
        PendingEmail e = queue.poll();
        if (e != null) {
            bytes.addAndGet(-e.value().length);
        }
        return e;
    }
}
