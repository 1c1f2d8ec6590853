package io.github.kafkamailer.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The emails already delivered (or drafted), by their idempotency key (tenant, id), each until its tenant's
 * retention ends. Two stores: the ids, for the duplicate check, and the same entries keyed by expiry, so that
 * forgetting the expired ones reads just those, a bounded number at a time, never the whole history.
 */
final class SentIds {
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, Long> byId;
    private final KeyValueStore<String, Long> byExpiry;
    /** Where the first unexpired entry can be: forgetting reads from there, not over the tombstones before it. */
    private final KeyFloor expiryFloor = new KeyFloor("");

    SentIds(KeyValueStore<String, Long> byId, KeyValueStore<String, Long> byExpiry) {
        this.byId = byId;
        this.byExpiry = byExpiry;
    }

    static String key(String tenant, String emailId) {
        return tenant + SEP + emailId;
    }

    boolean contains(String tenant, String emailId) {
        return byId.get(key(tenant, emailId)) != null;
    }

    void remember(String tenant, String emailId, Instant until) {
        String id = key(tenant, emailId);
        Long old = byId.get(id);
        if (old != null) {
            byExpiry.delete(expiryKey(old, id));
        }
        long ms = Math.max(0, until.toEpochMilli());
        byId.put(id, ms);
        String expiryKey = expiryKey(ms, id);
        byExpiry.put(expiryKey, ms);
        expiryFloor.written(expiryKey);
    }

    /** Forgets up to {@code max} entries expired at {@code now}; returns how many. */
    int forgetExpired(Instant now, int max) {
        List<String> expired = new ArrayList<>();
        String end = PendingKeys.fixedWidth(Math.max(0, now.toEpochMilli())) + '\u0001';
        if (KeyFloor.compare(expiryFloor.get(), end) > 0) {
            return 0; // the clock went back past the last one forgotten: nothing more has expired
        }
        try (KeyValueIterator<String, Long> it = byExpiry.range(expiryFloor.get(), end)) {
            while (it.hasNext() && expired.size() < max) {
                KeyValue<String, Long> kv = it.next();
                expired.add(kv.key);
            }
        }
        for (String k : expired) {
            byExpiry.delete(k);
            byId.delete(k.substring(k.indexOf(SEP) + 1));
        }
        if (!expired.isEmpty()) {
            // Read in key order from the floor and all deleted: nothing live is before the last one.
            expiryFloor.nothingBefore(expired.get(expired.size() - 1));
        }
        return expired.size();
    }

    private static String expiryKey(long expiryMs, String id) {
        return PendingKeys.fixedWidth(expiryMs) + SEP + id;
    }
}
