package io.github.kafkamailer.app;

import io.github.kafkamailer.http.LatestStatusStore;
import io.github.kafkamailer.http.PendingCounts;
import io.github.kafkamailer.topology.LatestStatusQuery;
import io.github.kafkamailer.topology.PendingQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The HTTP API's questions to this instance's stores, answered through the topology's interactive queries: the
 * API knows the stores only by what it asks, not by how the topology lays them out.
 */
final class StoreQueries implements LatestStatusStore, PendingCounts {
    private final Supplier<KafkaStreams> streams;

    /** @param streams null until Kafka Streams is made */
    StoreQueries(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    @Override
    public Optional<Owner> owner(String id) {
        KafkaStreams s = streams.get();
        if (s == null) {
            return Optional.empty();
        }
        return LatestStatusQuery.owner(s, id).map(o -> new Owner(o.partition(), o.active(), o.standbys()));
    }

    @Override
    public List<byte[]> local(int partition, boolean stale, String id, String tenantOrNull, long nowMs) {
        return LatestStatusQuery.local(streams.get(), partition, stale, id, tenantOrNull, nowMs);
    }

    @Override
    public Map<String, Pending> byTenant(Instant now, Function<String, Instant> knownFirst) {
        KafkaStreams s = streams.get();
        if (s == null) {
            return Map.of();
        }
        Map<String, Pending> out = new LinkedHashMap<>();
        PendingQuery.byTenant(s, now, knownFirst).forEach((tenant, p) ->
                out.put(tenant, new Pending(p.dueNow(), p.waitingForRetry(), p.oldestAcceptedAt())));
        return out;
    }
}
