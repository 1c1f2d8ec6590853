package io.github.kafkamailer.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The entries of another store keyed by their expiry ({@code fixed-width millis NUL key}), so that forgetting the
 * expired ones reads just those, a bounded number at a time, never the whole store; the sent ids and the latest
 * statuses each keep one. Keys hold no control characters (the contract's rules), so NUL separates them.
 */
final class ExpiryIndex {
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, Long> byExpiry;
    /** Where the first unexpired entry can be: forgetting reads from there, not over the tombstones before it. */
    private final KeyFloor floor = new KeyFloor("");

    ExpiryIndex(KeyValueStore<String, Long> byExpiry) {
        this.byExpiry = byExpiry;
    }

    /** {@code key} now expires at {@code expiryMs}; {@code oldExpiryMs} is when it did before (null: new). */
    void put(String key, Long oldExpiryMs, long expiryMs) {
        if (oldExpiryMs != null) {
            byExpiry.delete(expiryKey(oldExpiryMs, key));
        }
        String expiryKey = expiryKey(expiryMs, key);
        byExpiry.put(expiryKey, expiryMs);
        floor.written(expiryKey);
    }

    /** Takes out of the index up to {@code max} keys expired at {@code nowMs} and returns them, earliest first. */
    List<String> takeExpired(long nowMs, int max) {
        String end = PendingKeys.fixedWidth(Math.max(0, nowMs)) + '\u0001';
        if (KeyFloor.compare(floor.get(), end) > 0) {
            return List.of(); // the clock went back past the last one forgotten: nothing more has expired
        }
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = byExpiry.range(floor.get(), end)) {
            while (it.hasNext() && expired.size() < max) {
                expired.add(it.next().key);
            }
        }
        List<String> keys = new ArrayList<>(expired.size());
        for (String k : expired) {
            byExpiry.delete(k);
            keys.add(k.substring(k.indexOf(SEP) + 1));
        }
        if (!expired.isEmpty()) {
            // Read in key order from the floor and all deleted: nothing live is before the last one.
            floor.nothingBefore(expired.get(expired.size() - 1));
        }
        return keys;
    }

    private static String expiryKey(long expiryMs, String key) {
        return PendingKeys.fixedWidth(expiryMs) + SEP + key;
    }
}
