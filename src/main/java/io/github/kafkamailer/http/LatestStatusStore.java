package io.github.kafkamailer.http;

import java.util.List;
import java.util.Optional;

/**
 * The latest-status store as {@link StatusApi} asks it: partitioned by email id over the instances, each holding
 * some partitions (active or standby). The app answers through Kafka Streams' interactive queries.
 */
public interface LatestStatusStore {
    /**
     * Where the id's entries live; empty while that is not known (starting, rebalancing, not running).
     */
    Optional<Owner> owner(String id);

    /**
     * The latest statuses (JSON, as on the status topic) of the id in {@code tenantOrNull}, or in every tenant that
     * used it when null, from this instance's copy of {@code partition}; entries past their expiry left out.
     *
     * @param stale true to read a standby's copy
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when this instance doesn't hold the
     *                                                                    partition now (moved, restoring)
     */
    List<byte[]> local(int partition, boolean stale, String id, String tenantOrNull, long nowMs);

    /**
     * @param active   where the active task runs, as {@code host:port} (its {@code application.server})
     * @param standbys where its standbys run, the same way
     */
    record Owner(int partition, String active, List<String> standbys) {
    }
}
