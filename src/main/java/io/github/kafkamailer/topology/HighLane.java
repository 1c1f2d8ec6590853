package io.github.kafkamailer.topology;

import io.github.kafkamailer.sending.TenantRun;
import java.time.Instant;

/**
 * When an idle tenant's HIGH email starts a run: as soon as it is due, whatever the tenant's interval, but not
 * during a slow-down a server asked for ({@link TenantRun#nextHighStartAt}). The emails themselves are read ahead of
 * the normal ones from their own key range ({@link PendingKeys}, {@link PendingStore#highDue}).
 */
final class HighLane {
    private HighLane() {
    }

    /** When {@code high} may start the tenant's run; null when the tenant can't start one (no usable config). */
    static Instant startAt(TenantRun run, PendingEmail high) {
        Instant notBefore = run.nextHighStartAt();
        if (notBefore == null) {
            return null;
        }
        return high.dueAt().isBefore(notBefore) ? notBefore : high.dueAt();
    }

    /** The earlier of two instants, either of which may be null. */
    static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }
}
