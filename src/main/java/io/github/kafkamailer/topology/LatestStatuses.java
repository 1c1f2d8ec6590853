package io.github.kafkamailer.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
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
    private final KeyValueStore<String, Long> byExpiry;
    /** Where the first unexpired entry can be: forgetting reads from there, not over the tombstones before it. */
    private final KeyFloor expiryFloor = new KeyFloor("");

    LatestStatuses(KeyValueStore<String, LatestStatus> byKey, KeyValueStore<String, Long> byExpiry) {
        this.byKey = byKey;
        this.byExpiry = byExpiry;
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
        if (old != null) {
            byExpiry.delete(expiryKey(old.expiresAtMs(), key));
        }
        long ms = Math.max(0, expiresAtMs);
        byKey.put(key, new LatestStatus(ms, json));
        String expiryKey = expiryKey(ms, key);
        byExpiry.put(expiryKey, ms);
        expiryFloor.written(expiryKey);
    }

    LatestStatus get(String id, String tenant) {
        return byKey.get(key(id, tenant));
    }

    /** Forgets up to {@code max} entries expired at {@code nowMs}; returns how many. */
    int forgetExpired(long nowMs, int max) {
        String end = PendingKeys.fixedWidth(Math.max(0, nowMs)) + '\u0001';
        if (KeyFloor.compare(expiryFloor.get(), end) > 0) {
            return 0; // the clock went back past the last one forgotten: nothing more has expired
        }
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = byExpiry.range(expiryFloor.get(), end)) {
            while (it.hasNext() && expired.size() < max) {
                KeyValue<String, Long> kv = it.next();
                expired.add(kv.key);
            }
        }
        for (String k : expired) {
            byExpiry.delete(k);
            byKey.delete(k.substring(k.indexOf(SEP) + 1));
        }
        if (!expired.isEmpty()) {
            expiryFloor.nothingBefore(expired.get(expired.size() - 1));
        }
        return expired.size();
    }

    private static String expiryKey(long expiryMs, String key) {
        return PendingKeys.fixedWidth(expiryMs) + SEP + key;
    }
}
