package io.github.kafkamailer.topology;

import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The latest status of each (tenant, id), until its tenant's retention ends. Two stores, as for the sent ids: the
 * statuses by {@code id NUL tenant} (the id first: one email's entries of every tenant are one range, and they
 * all sit in the partition of the id, the status topic's key), and the same entries keyed by expiry, so that
 * forgetting the expired ones reads just those, a bounded number at a time, never the whole store.
 * Ids and tenants hold no control characters (the contract's rules), so NUL separates them unambiguously.
 */
final class LatestStatuses {
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, LatestStatus> byKey;
    private final ExpiryIndex byExpiry;

    LatestStatuses(KeyValueStore<String, LatestStatus> byKey, KeyValueStore<String, Long> byExpiry) {
        this.byKey = byKey;
        this.byExpiry = new ExpiryIndex(byExpiry);
    }

    /** The store key of the latest status of {@code id} in {@code tenant}. */
    static String key(String id, String tenant) {
        return id + SEP + tenant;
    }

    /** The first key of {@code id}'s entries (every tenant). */
    static String idStart(String id) {
        return id + SEP;
    }

    /** A key after every entry of {@code id}. */
    static String idEnd(String id) {
        return id + '\u0001';
    }

    /** The status of {@code json} is now the latest of (tenant, id), kept until {@code expiresAtMs}. */
    void put(String id, String tenant, byte[] json, long expiresAtMs) {
        String key = key(id, tenant);
        LatestStatus old = byKey.get(key);
        long ms = Math.max(0, expiresAtMs);
        byExpiry.put(key, old == null ? null : old.expiresAtMs(), ms);
        byKey.put(key, new LatestStatus(ms, json));
    }

    LatestStatus get(String id, String tenant) {
        return byKey.get(key(id, tenant));
    }

    /** Forgets up to {@code max} entries expired at {@code nowMs}; returns how many. */
    int forgetExpired(long nowMs, int max) {
        List<String> expired = byExpiry.takeExpired(nowMs, max);
        expired.forEach(byKey::delete);
        return expired.size();
    }
}
