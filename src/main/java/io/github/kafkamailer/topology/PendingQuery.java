package io.github.kafkamailer.topology;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the pending store of this instance's tasks through Kafka Streams' interactive queries, off the stream
 * thread: per tenant, what is due now, what waits for a retry, and since when the oldest email waits. It scans
 * the store, so it is for a person asking (console, CLI), not for a loop.
 */
public final class PendingQuery {
    /**
     * @param dueNow          emails whose time has come (sent at the tenant's next run)
     * @param waitingForRetry emails that failed and wait for their next attempt
     * @param oldestAcceptedAt when the oldest pending email reached the outbox; null when none is pending
     */
    public record TenantPending(String tenant, long dueNow, long waitingForRetry, Instant oldestAcceptedAt) {
    }

    private PendingQuery() {
    }

    /** Per tenant, in name order; empty while the store is not queryable (starting, rebalancing). */
    public static Map<String, TenantPending> byTenant(KafkaStreams streams, Instant now) {
        ReadOnlyKeyValueStore<String, PendingEmail> store;
        try {
            store = streams.store(StoreQueryParameters.fromNameAndType(MailerTopology.PENDING_STORE,
                    QueryableStoreTypes.<String, PendingEmail>keyValueStore()));
        } catch (RuntimeException notQueryableNow) {
            return Map.of();
        }
        return summarize(store, now);
    }

    static Map<String, TenantPending> summarize(ReadOnlyKeyValueStore<String, PendingEmail> store, Instant now) {
        Map<String, TenantPending> out = new TreeMap<>();
        try (KeyValueIterator<String, PendingEmail> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, PendingEmail> kv = it.next();
                PendingEmail p = kv.value;
                boolean due = !p.dueAt().isAfter(now);
                out.merge(p.tenant(), new TenantPending(p.tenant(), due ? 1 : 0, due ? 0 : 1, p.acceptedAt()),
                        (a, b) -> new TenantPending(a.tenant(), a.dueNow() + b.dueNow(),
                                a.waitingForRetry() + b.waitingForRetry(),
                                a.oldestAcceptedAt().isBefore(b.oldestAcceptedAt()) ? a.oldestAcceptedAt()
                                        : b.oldestAcceptedAt()));
            }
        }
        return out;
    }
}
