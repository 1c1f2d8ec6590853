package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/**
 * The sending task reads the HIGH emails' repartition and the normal one; it takes next the record with the lowest
 * timestamp among their heads, so a HIGH record must count as older than any normal one, however late published.
 */
class HighFirstTimestampsTest {
    private final HighFirstTimestamps extractor = new HighFirstTimestamps();

    private static ConsumerRecord<Object, Object> record(String topic, long timestamp) {
        return new ConsumerRecord<>(topic, 0, 0L, timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0, 0, null, null, new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty());
    }

    @Test
    void shouldPutAHighRecordAheadOfANormalOnePublishedBeforeIt() {
        long normalPublished = 1_764_000_000_000L;
        long high = extractor.extract(record(HighPath.topic("mailer"), normalPublished + 60_000), -1);
        long normal = extractor.extract(record("mailer-by-tenant-repartition", normalPublished), -1);

        assertThat(high).isLessThan(normal).isGreaterThanOrEqualTo(0); // a negative one would be dropped
        assertThat(normal).isEqualTo(normalPublished);
    }

    @Test
    void shouldKeepStreamsDefaultForEveryOtherTopic() {
        assertThat(extractor.extract(record("mail.outbox", 42L), -1)).isEqualTo(42L);
        assertThatThrownBy(() -> extractor.extract(record("mail.outbox", -5L), -1))
                .isInstanceOf(StreamsException.class);
    }
}
