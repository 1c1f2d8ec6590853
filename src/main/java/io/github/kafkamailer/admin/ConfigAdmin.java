package io.github.kafkamailer.admin;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.topology.TopicNames;
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
 * tenant names.
 */
public final class ConfigAdmin implements AutoCloseable {
    private final KafkaAccess kafka;
    private final TopicNames topics;

    public ConfigAdmin(Properties kafkaClientProps, TopicNames topics, Duration timeout) {
        this(new KafkaAccess(kafkaClientProps, timeout), topics);
    }

    public ConfigAdmin(KafkaAccess kafka, TopicNames topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /** The tenant's last valid record, as published (secret references unresolved); empty if none. */
    public Optional<ConfigVersion> inForce(String tenant) {
        List<ConfigVersion> versions = versions(tenant);
        return versions.isEmpty() || versions.get(versions.size() - 1) == null ? Optional.empty()
                : Optional.of(versions.get(versions.size() - 1));
    }

    /**
     * The tenant's valid versions still on the topic, oldest first (compaction keeps the latest record of a key
     * and may have removed older ones). A tombstone ends a history: what follows it starts afresh.
     */
    public List<ConfigVersion> history(String tenant) {
        List<ConfigVersion> out = new ArrayList<>();
        for (ConfigVersion v : versions(tenant)) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** The versions in order, null standing for a tombstone. */
    private List<ConfigVersion> versions(String tenant) {
        List<ConfigVersion> out = new ArrayList<>();
        MailerConfig[] last = new MailerConfig[1];
        readConfigTopic(r -> {
            if (r.key() == null || !tenant.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                return;
            }
            if (r.value() == null) {
                out.add(null);
                last[0] = null;
                return;
            }
            try {
                MailerConfig config = ConfigJson.parse(r.value());
                out.add(new ConfigVersion(tenant, config, Instant.ofEpochMilli(r.timestamp()), r.offset(),
                        ConfigEdit.changedFields(last[0], config)));
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
     * Publishes {@code config} as the tenant's record: only the fields that differ from their defaults, secrets
     * as given (values or references). The config being a {@link MailerConfig}, it passed the rules already;
     * it is checked again as the mailer will read it.
     *
     * @throws InvalidRecordException naming each bad field (never a secret's value)
     */
    public ConfigVersion publish(String tenant, MailerConfig config) {
        if (tenant == null || tenant.isEmpty()) {
            throw new InvalidRecordException("tenant", "is required: it is the record's key");
        }
        byte[] value = ConfigJson.writeFields(ConfigEdit.withoutDefaults(config));
        MailerConfig checked = ConfigJson.parse(value);
        MailerConfig before = inForce(tenant).map(ConfigVersion::config).orElse(null);
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
