package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.sending.TenantRun.RunStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * <p>Bounded work per punctuation: it goes through the tenants that have pending emails in name order from
 * where it stopped, at most {@code budget} tenants and entries read in all, reads only those without a config
 * (each from its first pending email, not over the deleted ones), and starts over once it passed the last.
 */
final class UnconfiguredExpiry {
    /** The contract's default {@code retentionDays}: what a tenant without a config is given. */
    static final Duration MAX_WAIT = Duration.ofDays(((Number) ConfigField.RETENTION_DAYS.defaultValue()).longValue());
    /** Tenants looked at and pending entries read per punctuation, at most. */
    static final int PER_PUNCTUATION = 2000;

    private final PendingStore pending;
    private final KeyValueStore<String, byte[]> configs;
    private final OutcomeRecorder recorder;
    private final Predicate<String> inFlight;
    /** The last tenant the sweep finished with; null: start from the first. */
    private String lastTenant;
    /** The tenant the budget ran out inside of, and where to read on in it; else null. */
    private String resumeTenant;
    private String resumeKey;

    /** @param inFlight whether the email under a store key is with a sender now (it is then left to its outcome) */
    UnconfiguredExpiry(PendingStore pending, KeyValueStore<String, byte[]> configs, OutcomeRecorder recorder,
                       Predicate<String> inFlight) {
        this.pending = pending;
        this.configs = configs;
        this.recorder = recorder;
        this.inFlight = inFlight;
    }

    /** Does at most {@code budget} reads on from the last stop; returns how many emails it dead-lettered. */
    int expire(Instant now, int budget) {
        int read = 0;
        int expired = 0;
        List<String> tenants = pending.tenantsAfter(lastTenant, budget);
        for (String tenant : tenants) {
            if (read >= budget) {
                return expired;
            }
            read++;
            String from = tenant.equals(resumeTenant) ? resumeKey : pending.readFrom(tenant);
            resumeTenant = null;
            resumeKey = null;
            if (configs.get(tenant) != null) {
                lastTenant = tenant;
                continue;
            }
            try (KeyValueIterator<String, PendingEmail> it = pending.range(from, PendingKeys.tenantEnd(tenant))) {
                while (it.hasNext()) {
                    if (read >= budget) {
                        // Go on inside this tenant next time.
                        resumeTenant = tenant;
                        resumeKey = it.peekNextKey();
                        return expired;
                    }
                    KeyValue<String, PendingEmail> kv = it.next();
                    read++;
                    if (!kv.value.acceptedAt().plus(MAX_WAIT).isAfter(now) && !inFlight.test(kv.key)) {
                        recorder.deadLetter(kv.key, kv.value, DeadLetterKind.EXPIRED, reason(tenant), null,
                                new RunStats(), now);
                        expired++;
                    }
                }
            }
            lastTenant = tenant;
        }
        if (tenants.size() < budget) {
            lastTenant = null; // passed the last: the next sweep starts over
        }
        return expired;
    }

    static String reason(String tenant) {
        return "no config for tenant '" + tenant + "' within " + MAX_WAIT.toDays() + " days (the default"
                + " retentionDays): its emails waited for one since they reached the outbox";
    }
}
