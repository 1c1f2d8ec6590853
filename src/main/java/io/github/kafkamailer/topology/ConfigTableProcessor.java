package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.StoreNames;
import java.util.HashMap;
import java.util.Map;
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
 *
 * <p>Nothing a record holds may stop the global thread: a failed global thread stops the whole mailer, and it
 * would fail again on the same record at every start. So whatever parsing, resolving or applying a record
 * throws, {@link Error}s included, rejects that record and nothing else.
 */
final class ConfigTableProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigTableProcessor.class);

    private final MailerMetrics metrics;
    private final ConfigListener listener;
    private final SecretReferences.Resolver secrets;
    /** The last config of each tenant warned about for sending credentials in clear: one WARN per version. */
    private final Map<String, MailerConfig> warnedInClear = new HashMap<>();
    private KeyValueStore<String, byte[]> store;

    ConfigTableProcessor(MailerMetrics metrics, ConfigListener listener, SecretReferences.Resolver secrets) {
        this.metrics = metrics;
        this.listener = listener;
        this.secrets = secrets;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.CONFIG_STORE);
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
            warnedInClear.remove(tenant);
            tell(tenant, "removal", () -> listener.removed(tenant));
            LOG.info("Config of tenant '{}' removed (tombstone): its emails wait until a new config arrives", tenant);
            return;
        }
        MailerConfig config;
        byte[] stored;
        try {
            config = SecretReferences.resolve(ConfigJson.parse(record.value()), secrets);
            stored = ConfigJson.writeWithSecrets(config);
            if (!config.equals(ConfigJson.parse(stored))) {
                // The sending side parses the stored form: what it can't read back the same must not be stored.
                throw new InvalidRecordException("value", "cannot be stored as resolved");
            }
        } catch (InvalidRecordException e) {
            reject(tenant, e.getMessage());
            return;
        } catch (Throwable e) {
            // Only the type: a message may quote the record's content. Errors too (a huge value, a deep nesting).
            reject(tenant, "value: could not be read (" + e.getClass().getSimpleName() + ")");
            return;
        }
        store.put(tenant, stored);
        tell(tenant, "new config", () -> {
            metrics.registerTenant(tenant, config.transportKind().name());
            listener.applied(tenant, config);
        });
        LOG.info("Config of tenant '{}' applied: enabled={}, transport={}, interval={}s", tenant,
                config.enabled(), config.transportKind(), config.campaignIntervalSeconds());
        warnIfCredentialsInClear(tenant, config);
    }

    private void reject(String tenant, String reason) {
        metrics.configRejected(tenant);
        LOG.warn("Config record of tenant '{}' rejected, the last valid config stays in force: {}", tenant, reason);
        tell(tenant, "rejection", () -> listener.rejected(tenant, reason));
    }

    /**
     * Tells the listeners, which run outside the table: the config is in the store already, so their failure is
     * logged, never allowed to stop the global thread.
     */
    private static void tell(String tenant, String what, Runnable call) {
        try {
            call.run();
        } catch (Throwable e) {
            LOG.warn("Config of tenant '{}': telling the {} to the mailer's other parts failed ({}); the config"
                    + " table itself is up to date", tenant, what, e.getClass().getSimpleName());
        }
    }

    /**
     * SMTP AUTH over a connection with neither STARTTLS nor implicit TLS sends the password (or the token) as
     * base64 for anyone on the path to read: allowed, since some internal relays work that way, but said once per
     * version of the config, never with the secret.
     */
    private void warnIfCredentialsInClear(String tenant, MailerConfig config) {
        boolean inClear = config.smtpUser() != null && !config.useGraphApi() && !config.startTls()
                && !config.smtpSsl();
        if (!inClear) {
            warnedInClear.remove(tenant);
            return;
        }
        if (config.equals(warnedInClear.put(tenant, config))) {
            return;
        }
        LOG.warn("Config of tenant '{}' sends SMTP credentials of user '{}' to {}:{} without TLS (startTls and"
                + " smtpSsl are false): anyone on the network path can read them; set startTls or smtpSsl",
                tenant, config.smtpUser(), config.smtpHost(), config.smtpPort());
    }
}
