package io.github.kafkamailer.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per tenant, how many emails were sent and how many became dead letters over the last hour, in one-minute
 * buckets. Bounded whatever producers write: at most {@code maxTenants} tenants are counted by name (the rest
 * together under {@link #OTHER}), each name cut to {@link #NAME_CHARS} characters, at most 61 buckets per tenant,
 * and a tenant with nothing left in the hour is forgotten. Thread-safe (one writer, the topic follower; readers,
 * the overview): every method holds the lock, and each does little.
 */
final class LastHour {
    static final Duration WINDOW = Duration.ofHours(1);
    /** The label that counts the tenants beyond the bound together. */
    static final String OTHER = "(other)";
    /** Tenant names longer than this are cut (a console tenant id has at most 100 characters). */
    static final int NAME_CHARS = 100;
    static final int DEFAULT_MAX_TENANTS = 1_000;
    private static final int SENT = 0;
    private static final int DEAD = 1;

    record Counts(long sent, long deadLettered) {
    }

    private final Clock clock;
    private final int maxTenants;
    /** Tenant name, then minute, then {sent, dead}. */
    private final Map<String, TreeMap<Long, long[]>> byTenant = new HashMap<>();
    /** The minute of the last sweep of expired tenants made to find room: one sweep a minute at most. */
    private long sweptAt = Long.MIN_VALUE;

    LastHour(Clock clock) {
        this(clock, DEFAULT_MAX_TENANTS);
    }

    LastHour(Clock clock, int maxTenants) {
        if (maxTenants < 1) {
            throw new IllegalArgumentException("maxTenants must be at least 1, got " + maxTenants);
        }
        this.clock = clock;
        this.maxTenants = maxTenants;
    }

    void sent(String tenant, Instant at) {
        add(tenant, at, SENT);
    }

    void deadLettered(String tenant, Instant at) {
        add(tenant, at, DEAD);
    }

    /** Drops every count, before they are read again from the topics. */
    synchronized void forgetAll() {
        byTenant.clear();
    }

    /** Counts per tenant over the hour before now, by tenant name; tenants with nothing in the hour are left out. */
    synchronized Map<String, Counts> counts() {
        long now = minuteOf(clock.instant());
        sweep(now);
        Map<String, Counts> out = new TreeMap<>();
        byTenant.forEach((tenant, buckets) -> {
            long sent = 0;
            long dead = 0;
            for (long[] b : buckets.values()) {
                sent += b[SENT];
                dead += b[DEAD];
            }
            out.put(tenant, new Counts(sent, dead));
        });
        return out;
    }

    /** How many tenants are held (the {@link #OTHER} label included), for the tests of the bound. */
    synchronized int tenantsHeld() {
        return byTenant.size();
    }

    /** The characters of the tenant names held, for the tests of the bound. */
    synchronized long nameCharsHeld() {
        return byTenant.keySet().stream().mapToLong(String::length).sum();
    }

    private synchronized void add(String tenant, Instant at, int what) {
        Instant now = clock.instant();
        if (at == null || !at.isAfter(now.minus(WINDOW))) {
            return;
        }
        long nowMinute = minuteOf(now);
        String name = nameOf(tenant);
        TreeMap<Long, long[]> buckets = byTenant.get(name);
        if (buckets == null) {
            if (byTenant.size() >= maxTenants && sweptAt != nowMinute) {
                sweep(nowMinute);
            }
            // The bound counts the named tenants; OTHER is the one more that takes the rest.
            if (byTenant.size() - (byTenant.containsKey(OTHER) ? 1 : 0) >= maxTenants) {
                name = OTHER;
            }
            buckets = byTenant.computeIfAbsent(name, t -> new TreeMap<>());
        }
        buckets.computeIfAbsent(minuteOf(at.isAfter(now) ? now : at), m -> new long[2])[what]++;
        buckets.headMap(firstMinute(nowMinute)).clear();
    }

    /** Drops the buckets older than the hour, and the tenants left with none. */
    private void sweep(long nowMinute) {
        sweptAt = nowMinute;
        long from = firstMinute(nowMinute);
        for (Iterator<TreeMap<Long, long[]>> it = byTenant.values().iterator(); it.hasNext(); ) {
            TreeMap<Long, long[]> buckets = it.next();
            buckets.headMap(from).clear();
            if (buckets.isEmpty()) {
                it.remove();
            }
        }
    }

    /** The first minute still inside the hour that ends in {@code nowMinute}. */
    private static long firstMinute(long nowMinute) {
        return nowMinute - WINDOW.toMinutes() + 1;
    }

    private static String nameOf(String tenant) {
        if (tenant == null) {
            return "unknown";
        }
        if (tenant.length() <= NAME_CHARS) {
            return tenant;
        }
        int end = Character.isHighSurrogate(tenant.charAt(NAME_CHARS - 1)) ? NAME_CHARS - 1 : NAME_CHARS;
        return tenant.substring(0, end) + "…";
    }

    private static long minuteOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }
}
