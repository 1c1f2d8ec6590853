package io.github.kafkamailer.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The largest record the mailer's producer accepts, and an upper bound of what a record costs against it: what
 * is written after a send must be known to fit before it is written. A record past the limit does not fail where
 * it is written; it fails the task's transaction a moment later, which throws away the outcomes recorded with it
 * and sends those emails again, and again after each restart (issue 16, item 1).
 *
 * <p>The limit is the producer's own ({@code max.request.size}, at most {@code buffer.memory}), as the Streams
 * config the topology was built with gives it (the mailer raises it to the outbox's limit plus headroom, see
 * {@code app/RecordSizes}; a user's value wins). The size is the producer's measure (a record batch of one record,
 * uncompressed), taken with the largest varints, so it is never below what the producer computes.
 */
final class RecordLimit {
    /** A record batch's header, before its records (magic 2). */
    static final int BATCH_OVERHEAD = 61;
    /** A record's length, attributes, timestamp delta, offset delta and header count, at their largest varints. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5;
    /** A length varint at its largest. */
    private static final int VARINT = 5;

    private final int bytes;

    RecordLimit(int bytes) {
        if (bytes <= BATCH_OVERHEAD + RECORD_OVERHEAD) {
            throw new IllegalArgumentException("a record limit of " + bytes + " bytes leaves no room for a record");
        }
        this.bytes = bytes;
    }

    /** The limit the producer of a Kafka Streams application configured with {@code streamsConfig} has. */
    static RecordLimit of(Properties streamsConfig) {
        Map<String, Object> producer = new StreamsConfig(streamsConfig).getProducerConfigs("record-limit");
        Map<String, Object> defaults = ProducerConfig.configDef().defaultValues();
        int maxRequest = intValue(producer.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                defaults.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        long bufferMemory = longValue(producer.getOrDefault(ProducerConfig.BUFFER_MEMORY_CONFIG,
                defaults.get(ProducerConfig.BUFFER_MEMORY_CONFIG)));
        return new RecordLimit((int) Math.min(maxRequest, bufferMemory));
    }

    int bytes() {
        return bytes;
    }

    boolean fits(byte[] key, byte[] value, Headers headers) {
        return size(key, value, headers) <= bytes;
    }

    /** What a record costs against the limit, at most: the batch, the record's fields, its headers. */
    static long size(byte[] key, byte[] value, Headers headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + VARINT + length(key) + VARINT + length(value);
        if (headers != null) {
            for (Header h : headers) {
                size += headerSize(h.key(), h.value());
            }
        }
        return size;
    }

    /** What one header costs in a record. */
    static long headerSize(String name, byte[] value) {
        return VARINT + name.getBytes(StandardCharsets.UTF_8).length + VARINT + length(value);
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static int intValue(Object v) {
        return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
    }

    private static long longValue(Object v) {
        return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
    }
}
