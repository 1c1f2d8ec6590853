package io.github.kafkamailer.topology;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The emails already delivered (or drafted), by their idempotency key (tenant, id), each until its tenant's
 * retention ends. Two stores: the ids, for the duplicate check, and the same entries keyed by expiry, so that
 * forgetting the expired ones reads just those, a bounded number at a time, never the whole history.
 */
final class SentIds {
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, Long> byId;
    private final ExpiryIndex byExpiry;

    SentIds(KeyValueStore<String, Long> byId, KeyValueStore<String, Long> byExpiry) {
        this.byId = byId;
        this.byExpiry = new ExpiryIndex(byExpiry);
    }

    static String key(String tenant, String emailId) {
        return tenant + SEP + emailId;
    }

    boolean contains(String tenant, String emailId) {
        return byId.get(key(tenant, emailId)) != null;
    }

    void remember(String tenant, String emailId, Instant until) {
        String id = key(tenant, emailId);
        long ms = Math.max(0, until.toEpochMilli());
        byExpiry.put(id, byId.get(id), ms);
        byId.put(id, ms);
    }

    /** Forgets up to {@code max} entries expired at {@code now}; returns how many. */
    int forgetExpired(Instant now, int max) {
        List<String> expired = byExpiry.takeExpired(now.toEpochMilli(), max);
        expired.forEach(byId::delete);
        return expired.size();
    }
}
