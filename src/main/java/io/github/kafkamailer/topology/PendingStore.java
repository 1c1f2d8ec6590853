package io.github.kafkamailer.topology;

import io.github.kafkamailer.metrics.MailerMetrics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The task's pending store, with its entries counted per tenant for the {@code mailer_emails_pending} gauge.
 * The counts live in a store of their own, written with the emails in the same transaction, so a task that
 * starts reads one number per tenant, not every pending email (a million pending start as fast as ten). A
 * pending store written by a mailer without counts is counted once, on its first start. The counts leave the
 * gauge when the task closes (its partition moves elsewhere).
 */
final class PendingStore {
    private final KeyValueStore<String, PendingEmail> store;
    private final KeyValueStore<String, Long> countStore;
    private final MailerMetrics metrics;
    /** Per tenant with pending emails, in name order (a sweep over tenants goes on from where it stopped). */
    private final TreeMap<String, Long> counted = new TreeMap<>();
    private final Set<String> dirty = new HashSet<>();
    /** Per tenant, where its first normal pending email can be: reads start there, not before the deleted ones. */
    private final Map<String, KeyFloor> floors = new HashMap<>();
    /** The same for the tenant's HIGH emails, which have a key range of their own ahead of the normal ones. */
    private final Map<String, KeyFloor> highFloors = new HashMap<>();
    /** Per tenant met since the task started, how many HIGH emails it has pending: counted once, then kept. */
    private final Map<String, Long> highCounts = new HashMap<>();

    PendingStore(KeyValueStore<String, PendingEmail> store, KeyValueStore<String, Long> countStore,
                 MailerMetrics metrics) {
        this.store = store;
        this.countStore = countStore;
        this.metrics = metrics;
        try (KeyValueIterator<String, Long> it = countStore.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                counted.put(kv.key, kv.value);
            }
        }
        if (counted.isEmpty()) {
            countOnce();
        }
        counted.forEach(metrics::pendingChanged);
    }

    /** A store from before the counts existed: counted once, then kept by every write. */
    private void countOnce() {
        try (KeyValueIterator<String, PendingEmail> it = store.all()) {
            while (it.hasNext()) {
                String tenant = it.next().value.tenant();
                counted.merge(tenant, 1L, Long::sum);
                dirty.add(tenant);
            }
        }
        flush();
    }

    void put(String key, PendingEmail email) {
        boolean high = PendingKeys.isHigh(key);
        if (store.get(key) == null) {
            change(email.tenant(), 1);
            if (high) {
                changeHigh(email.tenant(), 1);
            }
        }
        store.put(key, email);
        KeyFloor floor = (high ? highFloors : floors).get(email.tenant());
        if (floor != null) {
            floor.written(key);
        }
    }

    void delete(String key) {
        PendingEmail old = store.delete(key);
        if (old != null) {
            change(old.tenant(), -1);
            if (PendingKeys.isHigh(key)) {
                changeHigh(old.tenant(), -1);
            }
        }
    }

    private void changeHigh(String tenant, long delta) {
        // Counted before the change when not known yet: the count then already holds this write.
        long n = highCount(tenant);
        highCounts.put(tenant, n + delta);
    }

    /** True when the tenant has HIGH emails pending (due or not): from a count, no read of the store. */
    boolean hasHigh(String tenant) {
        return highCount(tenant) > 0;
    }

    private long highCount(String tenant) {
        Long n = highCounts.get(tenant);
        if (n == null) {
            // Once per tenant and task: the HIGH range is small (its emails go within a second).
            long c = 0;
            try (KeyValueIterator<String, PendingEmail> it = store.range(PendingKeys.highStart(tenant),
                    PendingKeys.normalStart(tenant))) {
                while (it.hasNext()) {
                    it.next();
                    c++;
                }
            }
            n = c;
            highCounts.put(tenant, n);
        }
        return n;
    }

    /** The tenant's HIGH emails due by {@code now}, in due order (an empty range when it has none). */
    KeyValueIterator<String, PendingEmail> highDue(String tenant, java.time.Instant now) {
        String from = highFloor(tenant).get();
        String to = PendingKeys.highDueEnd(tenant, now);
        // A floor past the end (a clock gone back): an empty range, not one the store warns about.
        return store.range(from, KeyFloor.compare(from, to) > 0 ? from : to);
    }

    /** The tenant's first HIGH email (the earliest due), or null. */
    KeyValue<String, PendingEmail> firstHigh(String tenant) {
        if (!hasHigh(tenant)) {
            return null;
        }
        KeyFloor floor = highFloor(tenant);
        KeyValue<String, PendingEmail> first;
        try (KeyValueIterator<String, PendingEmail> it = store.range(floor.get(), PendingKeys.normalStart(tenant))) {
            first = it.hasNext() ? it.next() : null;
        }
        if (first != null) {
            floor.nothingBefore(first.key);
        }
        return first;
    }

    private KeyFloor highFloor(String tenant) {
        return highFloors.computeIfAbsent(tenant, t -> new KeyFloor(PendingKeys.highStart(t)));
    }

    PendingEmail get(String key) {
        return store.get(key);
    }

    KeyValueIterator<String, PendingEmail> range(String from, String to) {
        return store.range(from, to);
    }

    /** A key at or before the tenant's first pending email, HIGH or normal: where a read of all of them starts. */
    String readFrom(String tenant) {
        if (hasHigh(tenant)) {
            return highFloor(tenant).get();
        }
        KeyFloor floor = floors.get(tenant);
        return floor != null ? floor.get() : PendingKeys.tenantStart(tenant);
    }

    /**
     * The tenant's first pending email: its first HIGH one when it has one, else its first normal one (the earliest
     * due); or null. One seek from a floor, not a scan.
     */
    KeyValue<String, PendingEmail> first(String tenant) {
        KeyValue<String, PendingEmail> high = firstHigh(tenant);
        return high != null ? high : firstNormal(tenant);
    }

    /** The tenant's first normal pending email (the earliest due), or null: one seek from its floor. */
    KeyValue<String, PendingEmail> firstNormal(String tenant) {
        KeyFloor floor = floors.computeIfAbsent(tenant, t -> new KeyFloor(PendingKeys.normalStart(t)));
        KeyValue<String, PendingEmail> first;
        try (KeyValueIterator<String, PendingEmail> it = store.range(floor.get(), PendingKeys.tenantEnd(tenant))) {
            first = it.hasNext() ? it.next() : null;
        }
        if (first != null) {
            floor.nothingBefore(first.key);
        }
        return first;
    }

    /** The tenants with pending emails in this task, from the counts (no read of the emails). */
    java.util.List<String> tenants() {
        return counted.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
    }

    /** Up to {@code max} tenants with pending emails, in name order, after {@code after} (null: from the first). */
    List<String> tenantsAfter(String after, int max) {
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Long> e : (after == null ? counted : counted.tailMap(after, false)).entrySet()) {
            if (out.size() >= max) {
                break;
            }
            if (e.getValue() > 0) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    long count(String tenant) {
        return counted.getOrDefault(tenant, 0L);
    }

    private void change(String tenant, long delta) {
        counted.merge(tenant, delta, Long::sum);
        dirty.add(tenant);
        metrics.pendingChanged(tenant, delta);
    }

    /** Writes the counts that changed: once per tick, not once per email. */
    void flush() {
        for (String tenant : dirty) {
            long n = counted.getOrDefault(tenant, 0L);
            if (n <= 0) {
                countStore.delete(tenant);
                if (n == 0) {
                    // A tenant whose emails are all gone is forgotten: invented names don't pile up here.
                    counted.remove(tenant);
                }
            } else {
                countStore.put(tenant, n);
            }
        }
        dirty.clear();
    }

    /** Takes this task's emails out of the gauge. */
    void close() {
        highCounts.clear();
        counted.forEach((tenant, n) -> metrics.pendingChanged(tenant, -n));
        counted.clear();
    }
}
