package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.template.CompiledTemplate;
import io.github.kafkamailer.template.TemplateCompiler;
import io.github.kafkamailer.template.TemplateSyntaxException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the templates table (CONTRACT.md, "Template record"): each record of the templates topic is checked against
 * the record's rules and compiled, once, before it enters the store and the {@link TemplateTable} the sender lanes
 * read; a tombstone removes the template. A record that breaks a rule or doesn't compile is rejected, like a config
 * record: one WARN naming the tenant, the name and the reason (with the part and line for a template that doesn't
 * parse), {@code mailer_templates_rejected_total}, and the version in force before stays. Kafka Streams runs this
 * processor on restore too, so a restart rebuilds the same table from the topic.
 *
 * <p>Nothing a record holds may stop the global thread: whatever reading or compiling a record throws,
 * {@link Error}s included, rejects that record and nothing else.
 */
final class TemplateTableProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateTableProcessor.class);
    /** Keys are an admin's text: logged at most this long. */
    private static final int KEY_IN_LOG = 200;

    private final TemplateTable table;
    private final MailerMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    TemplateTableProcessor(TemplateTable table, MailerMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.TEMPLATES_STORE);
        // What the store already holds (were it kept across a restart) is in force too: stored only once checked.
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> e = it.next();
                try {
                    table.put(e.key, TemplateCompiler.compile(TemplateJson.parse(e.key, e.value)));
                } catch (RuntimeException ex) {
                    LOG.warn("Stored template '{}' could not be read back; the topic's next version replaces it",
                            shown(e.key));
                }
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.isEmpty()) {
            metrics.templateRejected(MailerMetrics.UNKNOWN_TENANT);
            LOG.warn("Template record without a key rejected: the key must be TENANT/NAME");
            return;
        }
        String tenant = tenantOf(key);
        if (record.value() == null) {
            store.delete(key);
            if (table.current(key) != null) {
                table.remove(key);
                LOG.info("Template '{}' of tenant '{}' removed (tombstone)", shown(nameOf(key)), shown(tenant));
            }
            return;
        }
        Template t;
        CompiledTemplate compiled;
        try {
            t = TemplateJson.parse(key, record.value());
            CompiledTemplate before = table.current(key);
            // The same version again (a restart reading the topic, a republish): compiled already.
            compiled = before != null && before.source().equals(t) ? before : TemplateCompiler.compile(t);
        } catch (InvalidRecordException | TemplateSyntaxException e) {
            reject(key, tenant, e.getMessage());
            return;
        } catch (Throwable e) {
            // Only the type: a message may quote the record's content. Errors too (a huge value, a deep nesting).
            reject(key, tenant, "value: could not be read (" + e.getClass().getSimpleName() + ")");
            return;
        }
        store.put(key, TemplateJson.write(t));
        table.put(key, compiled);
        LOG.info("Template '{}' of tenant '{}' in force", shown(t.name()), shown(t.tenant()));
    }

    private void reject(String key, String tenant, String reason) {
        metrics.templateRejected(tenant);
        LOG.warn("Template '{}' of tenant '{}' rejected, the version in force before (if any) stays: {}",
                shown(nameOf(key)), shown(tenant), reason.replaceAll("\\p{Cntrl}", " "));
    }

    /** The tenant a key names ({@code TENANT/NAME}); {@code unknown} for a key without one. */
    static String tenantOf(String key) {
        int slash = key.indexOf('/');
        return slash <= 0 ? MailerMetrics.UNKNOWN_TENANT : key.substring(0, slash);
    }

    private static String nameOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    private static String shown(String s) {
        String k = s.length() > KEY_IN_LOG ? s.substring(0, KEY_IN_LOG) + "..." : s;
        return k.replaceAll("\\p{Cntrl}", "?");
    }
}
