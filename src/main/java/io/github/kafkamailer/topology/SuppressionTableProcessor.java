package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.Suppression;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the suppressions table: each record of the suppressions topic is checked against the contract's rules
 * before it enters the store, written back in its normal form under its key; a tombstone lifts the suppression.
 * A record that breaks a rule is ignored (a WARN naming its key and why), and whatever was in force for that key
 * stays. Kafka Streams runs this processor on restore too, so a restart rebuilds the same table.
 *
 * <p>Nothing a record holds may stop the global thread (it would stop the whole mailer, and again at every start):
 * whatever reading a record throws, {@link Error}s included, ignores that record and nothing else.
 */
final class SuppressionTableProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionTableProcessor.class);
    /** A key is the producer's text: logged at most this long. */
    private static final int KEY_IN_LOG = 200;

    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.SUPPRESSIONS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.isEmpty()) {
            LOG.warn("Suppression record without a key ignored: the key must be TENANT/ADDRESS");
            return;
        }
        if (record.value() == null) {
            if (store.delete(key) != null) {
                LOG.info("Suppression '{}' lifted (tombstone)", shown(key));
            }
            return;
        }
        Suppression s;
        try {
            s = SuppressionJson.parse(key, record.value());
        } catch (InvalidRecordException e) {
            ignore(key, e.getMessage());
            return;
        } catch (Throwable e) {
            // Only the type: a message may quote the record's content. Errors too (a huge value, a deep nesting).
            ignore(key, "value: could not be read (" + e.getClass().getSimpleName() + ")");
            return;
        }
        store.put(key, SuppressionJson.write(s));
        LOG.debug("Suppression '{}' in force: {}", shown(key), s.reason());
    }

    private static void ignore(String key, String reason) {
        LOG.warn("Suppression record '{}' ignored, whatever was in force for it stays: {}", shown(key), reason);
    }

    private static String shown(String key) {
        String k = key.length() > KEY_IN_LOG ? key.substring(0, KEY_IN_LOG) + "..." : key;
        return k.replaceAll("\\p{Cntrl}", "?");
    }
}
