package io.github.kafkamailer.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a transiently failed email is tried again, and when it is given up (CONTRACT.md, {@code maxErrorSeconds}):
 * {@code campaignIntervalSeconds × 2^(attempts−1)}, at most 15 minutes, ±20 % jitter, and never later than the
 * moment it expires, so that an email that keeps failing is dead-lettered on time, not one long backoff later.
 */
public final class RetryPolicy {
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);
    static final double JITTER = 0.20;

    private final DoubleSupplier random;

    /** @param random uniform in [0, 1); injected so tests get a fixed jitter */
    public RetryPolicy(DoubleSupplier random) {
        this.random = random;
    }

    /** True when an email failing at {@code now} has been failing for {@code maxErrorSeconds} or more. */
    public static boolean expired(Instant firstFailure, Instant now, int maxErrorSeconds) {
        return !now.isBefore(firstFailure.plusSeconds(maxErrorSeconds));
    }

    /**
     * @param attempts attempts made so far, the failed one included (1 after the first failure)
     */
    public Instant nextAttempt(Instant now, int attempts, int intervalSeconds, Instant firstFailure, int maxErrorSeconds) {
        long base = Duration.ofSeconds(intervalSeconds).toMillis();
        long backoff = attempts >= 31 ? Long.MAX_VALUE : base << Math.max(0, attempts - 1);
        if (backoff <= 0 || backoff > MAX_BACKOFF.toMillis()) {
            backoff = MAX_BACKOFF.toMillis();
        }
        double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
        Instant next = now.plusMillis(Math.round(backoff * factor));
        Instant expiry = firstFailure.plusSeconds(maxErrorSeconds);
        return next.isAfter(expiry) ? expiry : next;
    }
}
