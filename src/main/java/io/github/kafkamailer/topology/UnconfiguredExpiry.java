package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.sending.TenantRun.RunStats;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The emails of a tenant that has no config never wait for ever: once one has waited the contract's default
 * {@code retentionDays} since it reached the outbox (its record's timestamp), it is dead-lettered as
 * {@code EXPIRED} through the normal path ({@link OutcomeRecorder}: the dead-letter record, the status, the
 * counter), with a reason that names the tenant. A config that arrives earlier lets them be sent as usual.
 *
 * <p>Bounded work per punctuation: it reads the pending store in key order from where it stopped, at most
 * {@code budget} entries, steps over a tenant that has a config in one seek (its emails are its runs' business),
 * and starts over from the first key once it reached the last.
 */
final class UnconfiguredExpiry {
    /** The contract's default {@code retentionDays}: what a tenant without a config is given. */
    static final Duration MAX_WAIT = Duration.ofDays(((Number) ConfigField.RETENTION_DAYS.defaultValue()).longValue());

    /** Pending entries read per punctuation at most. */
    static final int PER_PUNCTUATION = 2000;

    private final PendingStore pending;
    private final KeyValueStore<String, byte[]> configs;
    private final OutcomeRecorder recorder;
    private final Predicate<String> inFlight;
    /** Where the next punctuation reads on from; null: from the first key. */
    private String cursor;

    /** @param inFlight whether the email under a store key is with a sender now (it is then left to its outcome) */
    UnconfiguredExpiry(PendingStore pending, KeyValueStore<String, byte[]> configs, OutcomeRecorder recorder,
                       Predicate<String> inFlight) {
        this.pending = pending;
        this.configs = configs;
        this.recorder = recorder;
        this.inFlight = inFlight;
    }

    /** Reads at most {@code budget} pending entries on from the last stop; returns how many it dead-lettered. */
    int expire(Instant now, int budget) {
        Map<String, Boolean> hasConfig = new HashMap<>();
        int read = 0;
        int expired = 0;
        while (read < budget) {
            String skipTo = null;
            boolean reachedEnd = true;
            try (KeyValueIterator<String, PendingEmail> it = pending.range(cursor, null)) {
                while (it.hasNext()) {
                    if (read >= budget) {
                        reachedEnd = false;
                        break;
                    }
                    KeyValue<String, PendingEmail> kv = it.next();
                    read++;
                    PendingEmail p = kv.value;
                    if (hasConfig.computeIfAbsent(p.tenant(), t -> configs.get(t) != null)) {
                        skipTo = PendingKeys.tenantEnd(p.tenant());
                        reachedEnd = false;
                        break;
                    }
                    cursor = PendingKeys.after(kv.key);
                    if (!p.acceptedAt().plus(MAX_WAIT).isAfter(now) && !inFlight.test(kv.key)) {
                        recorder.deadLetter(kv.key, p, DeadLetterKind.EXPIRED, reason(p.tenant()), null,
                                new RunStats(), now);
                        expired++;
                    }
                }
            }
            if (skipTo != null) {
                cursor = skipTo;
                continue;
            }
            if (reachedEnd) {
                cursor = null;
            }
            break;
        }
        return expired;
    }

    static String reason(String tenant) {
        return "no config for tenant '" + tenant + "' within " + MAX_WAIT.toDays() + " days (the default"
                + " retentionDays): its emails waited for one since they reached the outbox";
    }
}
