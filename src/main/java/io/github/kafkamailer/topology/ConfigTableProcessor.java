package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.SecretReferences;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the config table: each record of the config topic is validated, and its secret references resolved,
 * before it enters the store (held in memory only, never logged), so an
 * invalid record is rejected (logged, counted) and the tenant keeps its last valid config. Kafka Streams runs
 * this processor on restore too, so a restart rebuilds the same table from the topic.
 */
final class ConfigTableProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigTableProcessor.class);

    private final MailerMetrics metrics;
    private final ConfigListener listener;
    private final SecretReferences.Resolver secrets;
    private KeyValueStore<String, byte[]> store;

    ConfigTableProcessor(MailerMetrics metrics, ConfigListener listener, SecretReferences.Resolver secrets) {
        this.metrics = metrics;
        this.listener = listener;
        this.secrets = secrets;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(MailerTopology.CONFIG_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String tenant = record.key();
        if (tenant == null || tenant.isEmpty()) {
            LOG.warn("Config record without a tenant key rejected: the key must be the tenant id (e.g. 'default')");
            metrics.configRejected(MailerMetrics.UNKNOWN_TENANT);
            return;
        }
        if (record.value() == null) {
            store.delete(tenant);
            listener.removed(tenant);
            LOG.info("Config of tenant '{}' removed (tombstone): its emails wait until a new config arrives", tenant);
            return;
        }
        try {
            MailerConfig config = SecretReferences.resolve(ConfigJson.parse(record.value()), secrets);
            store.put(tenant, ConfigJson.writeWithSecrets(config));
            metrics.registerTenant(tenant, config.transportKind().name());
            listener.applied(tenant, config);
            LOG.info("Config of tenant '{}' applied: enabled={}, transport={}, interval={}s", tenant,
                    config.enabled(), config.transportKind(), config.campaignIntervalSeconds());
        } catch (InvalidRecordException e) {
            metrics.configRejected(tenant);
            listener.rejected(tenant, e.getMessage());
            LOG.warn("Config record of tenant '{}' rejected, the last valid config stays in force: {}", tenant,
                    e.getMessage());
        }
    }
}
