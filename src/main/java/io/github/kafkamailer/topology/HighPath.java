package io.github.kafkamailer.topology;

import static io.github.kafkamailer.model.StoreNames.BY_TENANT_HIGH;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The HIGH emails' own way from the intake into the pending store: a repartition by tenant of their own
 * ({@link io.github.kafkamailer.model.StoreNames#BY_TENANT_HIGH}), merged into the sending task beside the normal
 * one. Co-partitioned with it (same key, same number of partitions), so a tenant's HIGH and normal emails reach the
 * same task and store.
 *
 * <p>Why: a burst of normal emails waits in the normal repartition for the sending task to take it into the store,
 * one record after the other; a HIGH email behind it waited as long. On its own topic, and read first
 * ({@link HighFirstTimestamps}), it reaches the store as soon as the intake has read it from the outbox. What the
 * outbox holds before it is still read first: one outbox, read in order.
 */
final class HighPath {
    private HighPath() {
    }

    /** The intake's HIGH emails, keyed by tenant and repartitioned on their own topic. */
    static KStream<String, PendingEmail> byTenant(KStream<byte[], Routed> high) {
        return high
                .map((k, v) -> KeyValue.pair(((PendingEmail) v).tenant(), (PendingEmail) v),
                        Named.as("key-high-by-tenant"))
                .repartition(Repartitioned.with(Serdes.String(), new PendingEmailSerde()).withName(BY_TENANT_HIGH));
    }

    /** The topic Kafka Streams names for the repartition of HIGH emails. */
    static String topic(String applicationId) {
        return applicationId + "-" + BY_TENANT_HIGH + "-repartition";
    }
}
