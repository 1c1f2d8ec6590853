package io.github.kafkamailer.http;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * This instance's pending emails per tenant, as {@link PendingApi} asks them: the app reads its tasks' stores.
 */
@FunctionalInterface
public interface PendingCounts {
    /**
     * Per tenant, in name order; empty while the stores can't be asked (starting, rebalancing, not running).
     *
     * @param knownFirst when a tenant's first due email reached the outbox, as the engine last saw it; null when
     *                   not known (the stores are then asked)
     */
    Map<String, Pending> byTenant(Instant now, Function<String, Instant> knownFirst);

    /**
     * @param dueNow           emails whose time has come
     * @param waitingForRetry  emails that failed and wait for their next attempt
     * @param oldestAcceptedAt when the oldest pending email reached the outbox; null when none or not known yet
     */
    record Pending(long dueNow, long waitingForRetry, Instant oldestAcceptedAt) {
    }
}
