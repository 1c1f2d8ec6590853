package io.github.kafkamailer.sending;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each tenant's sending did last, on this instance: when its last run ended and the last error it met.
 * Written by the sending engine, read by the HTTP endpoints (console, {@code pending}); thread-safe, and small:
 * one entry per tenant, never per email.
 */
public final class TenantActivity {
    /**
     * @param lastRunAt   when the tenant's last sending run ended; null before the first
     * @param lastError   the last failure's reason (never a secret: reasons never carry one); null when none
     * @param lastErrorAt when it happened
     */
    public record Snapshot(String tenant, Instant lastRunAt, String lastError, Instant lastErrorAt) {
    }

    private final Map<String, Snapshot> byTenant = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstPendingAcceptedAt = new ConcurrentHashMap<>();

    public void runEnded(String tenant, Instant at) {
        byTenant.merge(tenant, new Snapshot(tenant, at, null, null),
                (old, x) -> new Snapshot(tenant, at, old.lastError(), old.lastErrorAt()));
    }

    public void failed(String tenant, String reason, Instant at) {
        // A server's answer naming thousands of deferred recipients must not be kept whole per tenant.
        String shown = reason == null ? null : io.github.kafkamailer.failure.DeadLetters.shorten(reason);
        byTenant.merge(tenant, new Snapshot(tenant, null, shown, at),
                (old, x) -> new Snapshot(tenant, old.lastRunAt(), shown, at));
    }

    /**
     * When the tenant's first pending email (the earliest due) reached the outbox, as the engine last saw it
     * (once a second): what the pending query reports as the oldest, without a seek of its own through the
     * store's deleted entries.
     */
    public void firstPending(String tenant, Instant acceptedAt) {
        firstPendingAcceptedAt.put(tenant, acceptedAt);
    }

    public Optional<Instant> firstPendingAcceptedAt(String tenant) {
        return Optional.ofNullable(firstPendingAcceptedAt.get(tenant));
    }

    public Optional<Snapshot> of(String tenant) {
        return Optional.ofNullable(byTenant.get(tenant));
    }

    /** Every tenant seen on this instance, by name. */
    public List<Snapshot> all() {
        List<Snapshot> out = new ArrayList<>(byTenant.values());
        out.sort(Comparator.comparing(Snapshot::tenant));
        return out;
    }
}
