package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.StoreNames;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest status of each (tenant, id) from the status topic ({@link LatestStatuses}), so that a lookup
 * reads one entry instead of the id's partition from its first offset.
 *
 * <p>Why a reader of the topic rather than a write at the point where {@link OutcomeRecorder} makes the status:
 * the topic is keyed by the email id, so this task's partition is the id's partition and Kafka Streams'
 * {@code queryMetadataForKey(store, id, StringSerializer)} names the instance that holds it; the sending task is
 * partitioned by tenant, where a lookup by id could not find its owner. Reading the topic also takes in what
 * another instance, or an older version of the mailer, wrote there (a first start reads the topic from its
 * beginning). Under exactly-once the task reads committed records only: a status whose send was rolled back never
 * shows, and the entry is updated in the same transaction as the task's offset. Nothing but the mailer writes to
 * the status topic (CONTRACT.md); a record that is not a status event is skipped, never thrown.
 *
 * <p>Each entry expires with its tenant's {@code retentionDays} counted from the status's record time (or, for a
 * tenant without a config, the longest of all tenants', which is the topic's {@code retention.ms}): computed when
 * the entry is written, so a later change applies to later statuses. A wall-clock punctuation forgets at most
 * {@value #EXPIRED_PER_PUNCTUATION} expired entries each time, reading the expiry index from its front.
 */
final class LatestStatusProcessor implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(LatestStatusProcessor.class);
    static final int EXPIRED_PER_PUNCTUATION = 5000;
    private static final int DEFAULT_RETENTION_DAYS = (Integer) ConfigField.RETENTION_DAYS.defaultValue();

    private final Duration expiryEvery;
    /** Per tenant: its config as the table holds it, and the retention parsed from it once per version. */
    private final Map<String, Retention> retentions = new HashMap<>();
    private LatestStatuses statuses;
    private KeyValueStore<String, byte[]> configs;
    private ProcessorContext<Void, Void> context;
    private long skipped;
    /** The longest retention of all tenants, and when it was read (for the statuses of tenants without config). */
    private int longestDays;
    private long longestAtMs;

    private record Retention(byte[] config, int days) {
    }

    LatestStatusProcessor(Duration expiryEvery) {
        this.expiryEvery = expiryEvery;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        statuses = new LatestStatuses(context.getStateStore(StoreNames.STATUS_LATEST_STORE),
                context.getStateStore(StoreNames.STATUS_EXPIRY_STORE));
        configs = context.getStateStore(StoreNames.CONFIG_STORE);
        context.schedule(expiryEvery, PunctuationType.WALL_CLOCK_TIME,
                now -> statuses.forgetExpired(now, EXPIRED_PER_PUNCTUATION));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        StatusEvent status = readable(record);
        if (status == null) {
            return;
        }
        long writtenAt = record.timestamp() > 0 ? record.timestamp() : status.at().toEpochMilli();
        long expiresAt = writtenAt + Duration.ofDays(retentionDays(status.tenant())).toMillis();
        if (expiresAt <= context.currentSystemTimeMs()) {
            return; // already past its retention (a first start reading old statuses): nothing to keep
        }
        statuses.put(status.id(), status.tenant(), record.value(), expiresAt);
    }

    /** The record's status event when it is one whose id is its key; else null, and the record is skipped. */
    private StatusEvent readable(Record<byte[], byte[]> record) {
        try {
            if (record.key() == null || record.value() == null) {
                throw new IllegalArgumentException("no key or no value");
            }
            String key = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(record.key())).toString();
            StatusEvent s = StatusEventJson.parse(record.value());
            if (s.id() == null || s.tenant() == null || !s.id().equals(key)) {
                throw new IllegalArgumentException("its id is not its key");
            }
            return s;
        } catch (CharacterCodingException | RuntimeException e) {
            // Only the mailer writes there; a foreign record must not stop the stream, nor flood the log.
            if (skipped++ == 0) {
                LOG.warn("A record of the status topic that is not a status event was skipped ({}); further ones"
                        + " are logged at DEBUG", e.toString());
            } else {
                LOG.debug("Skipped a record of the status topic that is not a status event: {}", e.toString());
            }
            return null;
        }
    }

    /** The tenant's {@code retentionDays}; for a tenant without a config, the longest of all (the topic's). */
    private int retentionDays(String tenant) {
        byte[] config = configs.get(tenant);
        if (config != null) {
            return retentionOf(tenant, config);
        }
        long now = context.currentSystemTimeMs();
        if (longestDays == 0 || now - longestAtMs >= expiryEvery.toMillis()) {
            // Read over every tenant's config at most once per expiry interval, not once per status.
            int longest = 0;
            try (KeyValueIterator<String, byte[]> it = configs.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    longest = Math.max(longest, retentionOf(kv.key, kv.value));
                }
            }
            longestDays = longest > 0 ? longest : DEFAULT_RETENTION_DAYS;
            longestAtMs = now;
        }
        return longestDays;
    }

    private int retentionOf(String tenant, byte[] config) {
        Retention r = retentions.get(tenant);
        if (r == null || (r.config() != config && !Arrays.equals(r.config(), config))) {
            int days;
            try {
                days = ConfigJson.parse(config).retentionDays();
            } catch (RuntimeException e) {
                days = DEFAULT_RETENTION_DAYS; // the table holds valid configs only; never stop on one
            }
            r = new Retention(config, days);
            retentions.put(tenant, r);
        }
        return r.days();
    }
}
