package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the {@value StoreNames#STATUS_LATEST_STORE} store through Kafka Streams' interactive queries, off the
 * stream thread. The store is partitioned as the status topic, by email id: {@link #owner} names the instance
 * that holds an id's entries (every tenant's), {@link #local} reads them when that is this instance. One read is
 * one key, or the few keys of one id: its time does not grow with the history.
 */
public final class LatestStatusQuery {
    private static final StringSerializer IDS = new StringSerializer();

    private LatestStatusQuery() {
    }

    /**
     * Where the id's entries live: the partition, the active instance and its standbys (their
     * {@code application.server}); empty while Kafka Streams doesn't know yet (starting, rebalancing).
     */
    public static Optional<Owner> owner(KafkaStreams streams, String id) {
        KeyQueryMetadata m = streams.queryMetadataForKey(StoreNames.STATUS_LATEST_STORE, id, IDS);
        if (m == null || KeyQueryMetadata.NOT_AVAILABLE.equals(m) || m.activeHost() == null
                || HostInfo.unavailable().equals(m.activeHost())) {
            return Optional.empty();
        }
        List<String> standbys = m.standbyHosts().stream().map(LatestStatusQuery::address).toList();
        return Optional.of(new Owner(m.partition(), address(m.activeHost()), standbys));
    }

    /** @param active where the active task runs, as {@code host:port}; standbys the same */
    public record Owner(int partition, String active, List<String> standbys) {
    }

    /**
     * The latest status (JSON, as on the status topic) of the id in {@code tenantOrNull}, or in every tenant that
     * used it when null, from this instance's store of {@code partition}; entries past their expiry are left out.
     *
     * @param stale true to read a standby's copy (when the active instance does not answer)
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when this instance doesn't hold the
     *                                                                    partition now (moved, restoring)
     */
    public static List<byte[]> local(KafkaStreams streams, int partition, boolean stale, String id,
                                     String tenantOrNull, long nowMs) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, LatestStatus>> p = StoreQueryParameters.fromNameAndType(
                StoreNames.STATUS_LATEST_STORE, QueryableStoreTypes.<String, LatestStatus>keyValueStore())
                .withPartition(partition);
        ReadOnlyKeyValueStore<String, LatestStatus> store = streams.store(stale ? p.enableStaleStores() : p);
        List<byte[]> out = new ArrayList<>();
        if (tenantOrNull != null) {
            LatestStatus s = store.get(LatestStatuses.key(id, tenantOrNull));
            if (s != null && s.expiresAtMs() > nowMs) {
                out.add(s.json());
            }
            return out;
        }
        try (KeyValueIterator<String, LatestStatus> it = store.range(LatestStatuses.idStart(id),
                LatestStatuses.idEnd(id))) {
            while (it.hasNext()) {
                KeyValue<String, LatestStatus> kv = it.next();
                if (kv.value.expiresAtMs() > nowMs) {
                    out.add(kv.value.json());
                }
            }
        }
        return out;
    }

    private static String address(HostInfo h) {
        return h.host() + ":" + h.port();
    }
}
