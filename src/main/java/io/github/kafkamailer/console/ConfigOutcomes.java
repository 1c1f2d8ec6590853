package io.github.kafkamailer.console;

import io.github.kafkamailer.model.MailerConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the mailer made of each tenant's latest config record, heard from the config table: applied, removed, or
 * rejected with the reason. Each outcome gets a sequence number, so the page that just saved a record (having
 * noted {@link #lastSequence()} before publishing) can tell the mailer's answer to its record from older ones:
 * the config topic is read in order, so the tenant's first outcome after that number is its record's. The app
 * tells it what the config table does (the console knows nothing of the topology).
 */
public final class ConfigOutcomes {
    public enum State { APPLIED, REMOVED, REJECTED }

    /** @param reason why a record was rejected (field names and rules, never a secret's value); null otherwise */
    public record Outcome(long sequence, String tenant, State state, Instant at, String reason) {
    }

    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Outcome> latest = new ConcurrentHashMap<>();

    public ConfigOutcomes(Clock clock) {
        this.clock = clock;
    }

    /** The tenant's record took effect. */
    public void applied(String tenant, MailerConfig config) {
        record(tenant, State.APPLIED, null);
    }

    /** The tenant's config was removed (a tombstone). */
    public void removed(String tenant) {
        record(tenant, State.REMOVED, null);
    }

    /** The tenant's record was rejected; {@code reason} names fields and rules, never a secret's value. */
    public void rejected(String tenant, String reason) {
        record(tenant, State.REJECTED, reason);
    }

    /** The number of the latest outcome of any tenant; note it before publishing a record. */
    public long lastSequence() {
        return sequence.get();
    }

    /** The tenant's latest outcome, if it came after {@code sequence}. */
    public Optional<Outcome> after(String tenant, long sequence) {
        Outcome o = latest.get(tenant);
        return o != null && o.sequence() > sequence ? Optional.of(o) : Optional.empty();
    }

    private void record(String tenant, State state, String reason) {
        // Numbered inside compute, so numbers and "latest" move together for a tenant.
        latest.compute(tenant, (t, old) -> new Outcome(sequence.incrementAndGet(), t, state, clock.instant(), reason));
    }
}
