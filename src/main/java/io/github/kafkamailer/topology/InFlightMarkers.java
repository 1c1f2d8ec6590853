package io.github.kafkamailer.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emails a task handed to senders and has not recorded yet, in a store with a changelog, so that whoever owns
 * the task next knows which of its pending emails may be on their way to a server right now.
 *
 * <p>Why a store: Kafka Streams commits a revoked task first and closes its processors after that
 * ({@code TaskManager.handleRevocation}: commit, then {@code StreamTask.suspend}, which closes the topology), so
 * nothing a processor writes in {@code close()} is committed. A marker is written when an email is handed out and
 * deleted in the same transaction as its outcome; the revocation's commit carries the markers of what is still in
 * flight to the next owner. The old owner then waits for those outcomes in {@code close()} and hands them over
 * ({@link Handover}); the next owner holds each marked email back until its handover came, or until
 * {@code holdBack} after the task started there: a handover of a graceful move is in the topic before the task
 * starts anywhere else (cooperative rebalancing assigns it only once the old owner let go), so waiting longer
 * only matters after a crash, when no handover comes and the email is sent again (the bounded duplicates of a
 * crash).
 *
 * <p>Each processor instance marks with an id of its own (a fresh one per task incarnation): a marker of another
 * id is a previous owner's, and a handover counts only for the marker of the incarnation that wrote it.
 */
final class InFlightMarkers {
    private static final Logger LOG = LoggerFactory.getLogger(InFlightMarkers.class);

    /** One email handed out: when, and by which task incarnation. */
    record Marker(Instant handedOutAt, String by) {
    }

    private final KeyValueStore<String, byte[]> store;
    private final String incarnation = UUID.randomUUID().toString();
    private final Instant startedAt;
    private final Duration holdBack;

    /**
     * @param startedAt when the task started on this instance
     * @param holdBack  how long after that a previous owner's marker holds its email back, waiting for the handover
     */
    InFlightMarkers(KeyValueStore<String, byte[]> store, Instant startedAt, Duration holdBack) {
        this.store = store;
        this.startedAt = startedAt;
        this.holdBack = holdBack;
    }

    /** This task incarnation's id, carried by its handovers. */
    String incarnation() {
        return incarnation;
    }

    void mark(String pendingKey, Instant now) {
        byte[] by = incarnation.getBytes(StandardCharsets.UTF_8);
        store.put(pendingKey, ByteBuffer.allocate(8 + by.length).putLong(now.toEpochMilli()).put(by).array());
    }

    void clear(String pendingKey) {
        store.delete(pendingKey);
    }

    Marker get(String pendingKey) {
        byte[] v = store.get(pendingKey);
        if (v == null || v.length < 8) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        long at = b.getLong();
        return new Marker(Instant.ofEpochMilli(at), new String(v, 8, v.length - 8, StandardCharsets.UTF_8));
    }

    /**
     * True while a previous owner's marker holds the email back (its outcome may still come as a handover). Once
     * {@code holdBack} passed since the task started here, the marker is dropped and the email may go: its previous
     * owner crashed, or its handover was lost, and the email may be sent a second time.
     */
    boolean holdsBack(String pendingKey, String tenant, String emailId, Instant now) {
        Marker m = get(pendingKey);
        if (m == null || m.by().equals(incarnation)) {
            return false;
        }
        if (now.isBefore(startedAt.plus(holdBack))) {
            return true;
        }
        clear(pendingKey);
        LOG.warn("Tenant '{}': email '{}' was in flight at this task's previous owner (handed out {}) and no"
                + " outcome came from it within {} s; sending it (a second time if that owner had sent it)", tenant,
                emailId, m.handedOutAt(), holdBack.toSeconds());
        return false;
    }
}
