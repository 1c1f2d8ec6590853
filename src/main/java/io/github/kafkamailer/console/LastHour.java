package io.github.kafkamailer.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per tenant, how many emails were sent and how many became dead letters over the last hour, in one-minute
 * buckets: small whatever the volume (at most 61 buckets per tenant), and thread-safe (one writer, the topic
 * follower; readers, the overview).
 */
final class LastHour {
    static final Duration WINDOW = Duration.ofHours(1);
    private static final int SENT = 0;
    private static final int DEAD = 1;

    record Counts(long sent, long deadLettered) {
    }

    private final Clock clock;
    private final Map<String, ConcurrentSkipListMap<Long, AtomicLongArray>> byTenant = new ConcurrentHashMap<>();

    LastHour(Clock clock) {
        this.clock = clock;
    }

    void sent(String tenant, Instant at) {
        add(tenant, at, SENT);
    }

    void deadLettered(String tenant, Instant at) {
        add(tenant, at, DEAD);
    }

    /** Drops every count, before they are read again from the topics. */
    void forgetAll() {
        byTenant.clear();
    }

    /** Counts per tenant over the hour before now, by tenant name; tenants with nothing in the hour are left out. */
    Map<String, Counts> counts() {
        long from = minuteOf(clock.instant().minus(WINDOW)) + 1;
        Map<String, Counts> out = new TreeMap<>();
        byTenant.forEach((tenant, buckets) -> {
            buckets.headMap(from).clear();
            long sent = 0;
            long dead = 0;
            for (AtomicLongArray b : buckets.values()) {
                sent += b.get(SENT);
                dead += b.get(DEAD);
            }
            if (sent > 0 || dead > 0) {
                out.put(tenant, new Counts(sent, dead));
            }
        });
        return out;
    }

    private void add(String tenant, Instant at, int what) {
        Instant now = clock.instant();
        if (at == null || !at.isAfter(now.minus(WINDOW))) {
            return;
        }
        long minute = minuteOf(at.isAfter(now) ? now : at);
        ConcurrentSkipListMap<Long, AtomicLongArray> buckets =
                byTenant.computeIfAbsent(tenant == null ? "unknown" : tenant, t -> new ConcurrentSkipListMap<>());
        buckets.computeIfAbsent(minute, m -> new AtomicLongArray(2)).incrementAndGet(what);
        buckets.headMap(minuteOf(now.minus(WINDOW))).clear();
    }

    private static long minuteOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }
}
