package io.github.kafkamailer.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: per client address, a few wrong passwords are free, then each further one locks
 * the address out for twice as long as the last, up to a ceiling. A right password clears the address's record.
 * Tracked addresses are bounded, so a flood of addresses cannot grow the map without end.
 */
final class LoginThrottle {
    static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant lockedUntil, Instant lastAt) {
    }

    private final Map<String, Failures> byClient = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int freeAttempts;
    private final Duration firstLockout;
    private final Duration maxLockout;

    LoginThrottle(Clock clock, int freeAttempts, Duration firstLockout, Duration maxLockout) {
        this.clock = clock;
        this.freeAttempts = freeAttempts;
        this.firstLockout = firstLockout;
        this.maxLockout = maxLockout;
    }

    /** 5 free attempts, then 1 s, 2 s, 4 s ... up to 15 minutes. */
    static LoginThrottle standard(Clock clock) {
        return new LoginThrottle(clock, 5, Duration.ofSeconds(1), Duration.ofMinutes(15));
    }

    /** How long {@code client} must still wait before its next attempt; empty when it may try now. */
    Optional<Duration> lockedFor(String client) {
        Failures f = byClient.get(client);
        Instant now = clock.instant();
        if (f == null || f.lockedUntil() == null || !now.isBefore(f.lockedUntil())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, f.lockedUntil()));
    }

    void failed(String client) {
        Instant now = clock.instant();
        if (byClient.size() >= MAX_TRACKED && !byClient.containsKey(client)) {
            forgetQuietest(now);
        }
        byClient.compute(client, (k, old) -> {
            int count = old == null || forgotten(old, now) ? 1 : old.count() + 1;
            Instant until = count <= freeAttempts ? null : now.plus(lockout(count - freeAttempts));
            return new Failures(count, until, now);
        });
    }

    void succeeded(String client) {
        byClient.remove(client);
    }

    private Duration lockout(int beyondFree) {
        int doublings = Math.min(beyondFree - 1, 30);
        Duration d = firstLockout.multipliedBy(1L << doublings);
        return d.compareTo(maxLockout) > 0 ? maxLockout : d;
    }

    /** After a quiet ceiling's time, an address starts afresh. */
    private boolean forgotten(Failures f, Instant now) {
        return !now.isBefore(f.lastAt().plus(maxLockout));
    }

    private void forgetQuietest(Instant now) {
        byClient.values().removeIf(f -> forgotten(f, now));
        if (byClient.size() >= MAX_TRACKED) {
            byClient.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Failures::lastAt)))
                    .ifPresent(e -> byClient.remove(e.getKey()));
        }
    }
}
