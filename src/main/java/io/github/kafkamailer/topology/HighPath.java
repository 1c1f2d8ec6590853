package io.github.kafkamailer.topology;

import static io.github.kafkamailer.model.StoreNames.BY_TENANT_HIGH;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The HIGH emails' own way from the intake into the pending store: a repartition by tenant of their own
 * ({@link io.github.kafkamailer.model.StoreNames#BY_TENANT_HIGH}), merged into the sending task beside the normal
 * one. Co-partitioned with it (same key, same number of partitions), so a tenant's HIGH and normal emails reach the
 * same task, store and run.
 *
 * <p>Why: a burst of normal emails waits in the normal repartition for the sending task to take it into the store;
 * a HIGH email behind it waited as long (measured: most of its wait under a burst). A task with several input
 * partitions takes next the record with the lowest timestamp among their heads, and the heads of a normal backlog
 * were published before the HIGH email; so the HIGH records are written to their repartition with timestamp
 * {@link #HIGH_FIRST}, lower than any other, and the task takes one as soon as it has fetched it. Only the order of
 * processing changes: the email's own {@code acceptedAt} and {@code dueAt} travel in the value, the sending task
 * timestamps its outcomes with the wall clock, the records are read back with their outbox timestamp (what the task
 * writes for them carries it, as for a normal email), and its stream time (the highest timestamp seen) is unchanged.
 * What the outbox holds before a HIGH email is still read first: one outbox, read in order.
 */
final class HighPath {
    /** The HIGH records' timestamp on their repartition: lower than any real record's, not negative (invalid). */
    static final long HIGH_FIRST = 0L;

    private HighPath() {
    }

    /**
     * The intake's HIGH emails, keyed by tenant, stamped to go first, repartitioned on their own topic, and read
     * back with their outbox timestamp again, so what the sending task writes for them (the pending store's
     * changelog) is timestamped as for a normal email.
     */
    static KStream<String, PendingEmail> byTenant(KStream<byte[], Routed> high) {
        return high
                .map((k, v) -> KeyValue.pair(((PendingEmail) v).tenant(), (PendingEmail) v),
                        Named.as("key-high-by-tenant"))
                .processValues(() -> new Retimed(email -> HIGH_FIRST), Named.as("high-first"))
                .repartition(Repartitioned.with(Serdes.String(), new PendingEmailSerde()).withName(BY_TENANT_HIGH))
                .processValues(() -> new Retimed(email -> email.acceptedAt().toEpochMilli()),
                        Named.as("high-timestamp"));
    }

    /** The topic Kafka Streams names for the repartition of HIGH emails. */
    static String topic(String applicationId) {
        return applicationId + "-" + BY_TENANT_HIGH + "-repartition";
    }

    /**
     * Forwards each record with the timestamp {@code at} gives for its email: {@link #HIGH_FIRST} on the way into the
     * HIGH repartition, the email's {@code acceptedAt} (the outbox record's timestamp) on the way out.
     */
    private static final class Retimed implements FixedKeyProcessor<String, PendingEmail, PendingEmail> {
        private final java.util.function.ToLongFunction<PendingEmail> at;
        private FixedKeyProcessorContext<String, PendingEmail> context;

        Retimed(java.util.function.ToLongFunction<PendingEmail> at) {
            this.at = at;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, PendingEmail> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, PendingEmail> record) {
            context.forward(record.withTimestamp(at.applyAsLong(record.value())));
        }
    }
}
