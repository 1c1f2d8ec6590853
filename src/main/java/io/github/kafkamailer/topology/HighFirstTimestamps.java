package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.StoreNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.FailOnInvalidTimestamp;

/**
 * The mailer's timestamp extractor ({@code default.timestamp.extractor}): Kafka Streams' default (the record's own
 * timestamp, failing on an invalid one) for every topic but the repartition of HIGH emails ({@link HighPath}), whose
 * records count as older than any other.
 *
 * <p>Why: a task with several input partitions takes next the record with the lowest timestamp among their heads.
 * The sending task reads the normal repartition and the HIGH one; under a burst, the normal one's head was published
 * before the HIGH email, which would wait for every normal record older than itself. With this, the task takes a
 * HIGH record as soon as it has fetched it. Only the order of processing changes: what the records carry (the
 * email's own {@code acceptedAt} and {@code dueAt}) and what the sending task writes (timestamped with the wall
 * clock) do not depend on it, and the task's stream time, the highest timestamp seen, is unchanged.
 */
public final class HighFirstTimestamps extends FailOnInvalidTimestamp {
    /** Lower than any real record's; 0 rather than negative, which Streams would drop as invalid. */
    static final long HIGH_FIRST = 0L;
    private static final String HIGH_TOPIC_END = "-" + StoreNames.BY_TENANT_HIGH + "-repartition";

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.topic() != null && record.topic().endsWith(HIGH_TOPIC_END)) {
            return HIGH_FIRST;
        }
        return super.extract(record, partitionTime);
    }
}
