package io.github.kafkamailer.admin;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads and writes the config topic as the mailer reads it: a tenant's config in force is its last record that
 * passes {@link io.github.kafkamailer.model.ConfigRules} (a later invalid record is rejected and changes
 * nothing; a tombstone removes the config). Each call reads the topic up to its end offsets at that moment with
 * a consumer of its own (no group), keeping only what the answer needs: one tenant's versions, or the set of
 * tenant names. A change made from the config in force names the version it read ({@link Current#version()}) and
 * is refused when another change came in since ({@link #publish(String, MailerConfig, long)}).
 */
public final class ConfigAdmin implements AutoCloseable {
    /** The version of a tenant that has never had a record on the topic: a first config is published over it. */
    public static final long NO_VERSION = -1;

    private final KafkaAccess kafka;
    private final TopicNames topics;
    /** Held from the version check to the publish: this object's conditional changes go one at a time. */
    private final Object publishing = new Object();

    public ConfigAdmin(Properties kafkaClientProps, TopicNames topics, Duration timeout) {
        this(new KafkaAccess(kafkaClientProps, timeout), topics);
    }

    public ConfigAdmin(KafkaAccess kafka, TopicNames topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /**
     * What a change of a tenant's config starts from: the config in force (empty if none) and its version.
     *
     * @param version   the offset in the config topic of the last record that decided what is in force: the valid
     *                  record in force, or the tombstone that removed it; {@link #NO_VERSION} for a tenant that
     *                  has never had one. An invalid record changes nothing in force, so it is no new version.
     *                  (A tenant's records are all in its key's partition, where offsets only grow.)
     * @param changedAt that record's timestamp; null with {@link #NO_VERSION}
     */
    public record Current(String tenant, long version, Optional<ConfigVersion> inForce, Instant changedAt) {
        /** The config in force, or null. */
        public MailerConfig config() {
            return inForce.map(ConfigVersion::config).orElse(null);
        }

        /**
         * Returns quietly when {@code read} is still this tenant's version, i.e. no change came in since it was
         * read.
         *
         * @throws ConfigConflictException naming the newer change
         */
        public void requireVersion(long read) {
            if (read == version) {
                return;
            }
            String now;
            if (inForce.isPresent()) {
                ConfigVersion v = inForce.get();
                now = "version " + v.offset() + ", published " + v.at() + ", changing "
                        + (v.changedFields().isEmpty() ? "no field" : String.join(", ", v.changedFields()))
                        + ", is in force now";
            } else if (version == NO_VERSION) {
                now = "the tenant has no config at all now";
            } else {
                now = "the config was removed at " + changedAt + " (version " + version + ")";
            }
            String was = read == NO_VERSION ? "when it had no config" : "at version " + read;
            throw new ConfigConflictException(tenant, read, version, "the config of tenant '" + tenant
                    + "' changed since it was read " + was + ": " + now + ". Nothing was published, so as not to"
                    + " undo that change");
        }
    }

    /** The tenant's last valid record, as published (secret references unresolved); empty if none. */
    public Optional<ConfigVersion> inForce(String tenant) {
        return current(tenant).inForce();
    }

    /** The tenant's config in force and its version, read together: what a change starts from. */
    public Current current(String tenant) {
        Scan scan = scan(tenant);
        List<ConfigVersion> versions = scan.versions;
        Optional<ConfigVersion> last = versions.isEmpty() || versions.get(versions.size() - 1) == null
                ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        return new Current(tenant, scan.version, last, scan.changedAt);
    }

    /**
     * The tenant's valid versions still on the topic, oldest first (compaction keeps the latest record of a key
     * and may have removed older ones). A tombstone ends a history: what follows it starts afresh.
     */
    public List<ConfigVersion> history(String tenant) {
        List<ConfigVersion> out = new ArrayList<>();
        for (ConfigVersion v : scan(tenant).versions) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** One tenant's records: the versions in order, null standing for a tombstone, and the latest one's offset. */
    private static final class Scan {
        final List<ConfigVersion> versions = new ArrayList<>();
        long version = NO_VERSION;
        Instant changedAt;
    }

    private Scan scan(String tenant) {
        Scan out = new Scan();
        MailerConfig[] last = new MailerConfig[1];
        readConfigTopic(r -> {
            if (r.key() == null || !tenant.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                return;
            }
            if (r.value() == null) {
                out.versions.add(null);
                out.version = r.offset();
                out.changedAt = Instant.ofEpochMilli(r.timestamp());
                last[0] = null;
                return;
            }
            try {
                MailerConfig config = ConfigJson.parse(r.value());
                out.versions.add(new ConfigVersion(tenant, config, Instant.ofEpochMilli(r.timestamp()), r.offset(),
                        ConfigEdit.changedFields(last[0], config)));
                out.version = r.offset();
                out.changedAt = Instant.ofEpochMilli(r.timestamp());
                last[0] = config;
            } catch (InvalidRecordException rejected) {
                // The mailer rejects it too: the tenant's last valid config stays in force.
            }
        });
        return out;
    }

    /**
     * The reason the tenant's latest record was rejected, when its last record is invalid (the config in force,
     * if any, being an older one); empty when the last record was applied.
     */
    public Optional<String> rejectedAfterInForce(String tenant) {
        String[] reason = new String[1];
        readConfigTopic(r -> {
            if (r.key() == null || !tenant.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                return;
            }
            reason[0] = null;
            if (r.value() != null) {
                try {
                    ConfigJson.parse(r.value());
                } catch (InvalidRecordException e) {
                    reason[0] = "the record at offset " + r.offset() + " was rejected: " + e.getMessage();
                }
            }
        });
        return Optional.ofNullable(reason[0]);
    }

    /** The tenants that have a config in force, sorted. */
    public List<String> tenants() {
        Map<String, Boolean> valid = new HashMap<>();
        readConfigTopic(r -> {
            if (r.key() == null) {
                return;
            }
            String tenant = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                valid.remove(tenant);
                return;
            }
            try {
                ConfigJson.parse(r.value());
                valid.put(tenant, true);
            } catch (InvalidRecordException rejected) {
                // An earlier valid record, if any, stays in force.
            }
        });
        return new ArrayList<>(new TreeSet<>(valid.keySet()));
    }

    /**
     * Publishes {@code config} as the tenant's record, whatever came before it: for a whole record given as such
     * ({@code config set --file}). A change made from the config in force goes through
     * {@link #publish(String, MailerConfig, long)} instead, so that it can't undo a change it never saw.
     *
     * @throws InvalidRecordException naming each bad field (never a secret's value)
     */
    public ConfigVersion publish(String tenant, MailerConfig config) {
        byte[] value = record(tenant, config);
        return send(tenant, value, current(tenant).config());
    }

    /**
     * Publishes {@code config} as the tenant's record only if {@code readVersion} is still the tenant's version
     * ({@link Current#version()}): the version the change was made from. Only the fields that differ from their
     * defaults are written, secrets as given (values or references); the config is checked again as the mailer
     * will read it.
     *
     * <p>The check reads the topic to its end just before publishing. Two changes made through this object
     * can't both pass it (they are checked and published one at a time), but one from another process (another
     * instance's console, the CLI) can still land between this check and this publish, a window of a few
     * milliseconds: Kafka has no compare-and-set on a key. A change that loses that race replaces the other
     * without a word, as every change did before versions were checked.
     *
     * @throws ConfigConflictException when another change came in since {@code readVersion} was read; nothing is
     *                                 published
     * @throws InvalidRecordException  naming each bad field (never a secret's value)
     */
    public ConfigVersion publish(String tenant, MailerConfig config, long readVersion) {
        byte[] value = record(tenant, config);
        synchronized (publishing) {
            Current now = current(tenant);
            now.requireVersion(readVersion);
            return send(tenant, value, now.config());
        }
    }

    /** The record as published: only the fields that differ from their defaults. */
    private static byte[] record(String tenant, MailerConfig config) {
        if (tenant == null || tenant.isEmpty()) {
            throw new InvalidRecordException("tenant", "is required: it is the record's key");
        }
        return ConfigJson.writeFields(ConfigEdit.withoutDefaults(config));
    }

    /** Publishes the record once it passes the rules as the mailer will read it. */
    private ConfigVersion send(String tenant, byte[] value, MailerConfig before) {
        MailerConfig checked = ConfigJson.parse(value);
        RecordMetadata m = kafka.publish(topics.config(), tenant.getBytes(StandardCharsets.UTF_8), value);
        return new ConfigVersion(tenant, checked, Instant.ofEpochMilli(m.timestamp()), m.offset(),
                ConfigEdit.changedFields(before, checked));
    }

    /** Removes the tenant's config (a tombstone): its emails then wait until a new config arrives. */
    public void remove(String tenant) {
        kafka.publish(topics.config(), tenant.getBytes(StandardCharsets.UTF_8), null);
    }

    private void readConfigTopic(Consumer<ConsumerRecord<byte[], byte[]>> each) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        try {
            List<TopicPartition> partitions = kafka.partitions(consumer, topics.config());
            kafka.scan(consumer, partitions, null, kafka.endOffsets(consumer, partitions), each);
        } finally {
            KafkaAccess.closeQuickly(consumer);
        }
    }

    @Override
    public void close() {
        // Each call uses clients of its own and closes them; nothing is held between calls.
    }
}
