package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.StoreNames;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the pending stores of this instance's tasks through Kafka Streams' interactive queries, off the stream
 * thread: per tenant, what is due now, what waits for a retry, and since when the oldest email waits. It never
 * reads the whole backlog: the count per tenant comes from the counts store, the emails waiting for a retry
 * (due later) are read from the end of the tenant's range, and the first due email from what the sending engine
 * saw last (once a second), so that a console open on a million pending emails doesn't scan them every 10 s.
 */
public final class PendingQuery {
    /**
     * @param dueNow          emails whose time has come (sent at the tenant's next run)
     * @param waitingForRetry emails that failed and wait for their next attempt
     * @param oldestAcceptedAt when the oldest pending email reached the outbox (of the first due and those
     *                         waiting for a retry); null when none is pending or not known yet
     */
    public record TenantPending(String tenant, long dueNow, long waitingForRetry, Instant oldestAcceptedAt) {
    }

    private PendingQuery() {
    }

    /**
     * Per tenant, in name order; empty while the stores are not queryable (starting, rebalancing).
     *
     * @param knownFirst when a tenant's first due email reached the outbox, as the engine last saw it; null when
     *                   it has not looked yet (the query then seeks it itself)
     */
    public static Map<String, TenantPending> byTenant(KafkaStreams streams, Instant now,
                                                      Function<String, Instant> knownFirst) {
        ReadOnlyKeyValueStore<String, PendingEmail> store;
        ReadOnlyKeyValueStore<String, Long> counts;
        try {
            store = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.PENDING_STORE,
                    QueryableStoreTypes.<String, PendingEmail>keyValueStore()));
            counts = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.PENDING_COUNTS_STORE,
                    QueryableStoreTypes.<String, Long>keyValueStore()));
            // Reading may fail too, not only asking: a store closes when its task moves during the read.
            return summarize(store, counts, now, knownFirst);
        } catch (InvalidStateStoreException notQueryableNow) {
            return Map.of();
        }
    }

    static Map<String, TenantPending> summarize(ReadOnlyKeyValueStore<String, PendingEmail> store,
                                                ReadOnlyKeyValueStore<String, Long> counts, Instant now,
                                                Function<String, Instant> knownFirst) {
        Map<String, TenantPending> out = new TreeMap<>();
        try (KeyValueIterator<String, Long> it = counts.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.value != null && kv.value > 0) {
                    out.put(kv.key, tenant(store, kv.key, kv.value, now, knownFirst));
                }
            }
        }
        return out;
    }

    private static TenantPending tenant(ReadOnlyKeyValueStore<String, PendingEmail> store, String tenant, long count,
                                        Instant now, Function<String, Instant> knownFirst) {
        long waiting = 0;
        Instant oldestWaiting = null;
        // Due later: after every key due by now. Deleted (sent) emails lie before it, so the seek meets none.
        try (KeyValueIterator<String, PendingEmail> it = store.range(PendingKeys.dueEnd(tenant, now),
                PendingKeys.tenantEnd(tenant))) {
            while (it.hasNext()) {
                oldestWaiting = earliest(oldestWaiting, it.next().value.acceptedAt());
                waiting++;
            }
        }
        // HIGH emails due later: their own range, ahead of the normal ones (PendingKeys).
        try (KeyValueIterator<String, PendingEmail> it = store.range(PendingKeys.highDueEnd(tenant, now),
                PendingKeys.normalStart(tenant))) {
            while (it.hasNext()) {
                oldestWaiting = earliest(oldestWaiting, it.next().value.acceptedAt());
                waiting++;
            }
        }
        Instant oldest = oldestWaiting;
        if (waiting < count) {
            Instant first = knownFirst.apply(tenant);
            oldest = earliest(oldest, first != null ? first : firstDue(store, tenant, now));
        }
        return new TenantPending(tenant, Math.max(0, count - waiting), waiting, oldest);
    }

    private static Instant firstDue(ReadOnlyKeyValueStore<String, PendingEmail> store, String tenant, Instant now) {
        try (KeyValueIterator<String, PendingEmail> it = store.range(PendingKeys.tenantStart(tenant),
                PendingKeys.dueEnd(tenant, now))) {
            return it.hasNext() ? it.next().value.acceptedAt() : null;
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
