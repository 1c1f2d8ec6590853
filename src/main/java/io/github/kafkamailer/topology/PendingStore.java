package io.github.kafkamailer.topology;

import io.github.kafkamailer.metrics.MailerMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The task's pending store, with its entries counted per tenant for the {@code mailer_emails_pending} gauge:
 * counted once from the store when the task starts, then kept exact on every write, so the gauge says what the
 * store holds. The counts leave the gauge when the task closes (its partition moves elsewhere).
 */
final class PendingStore {
    private final KeyValueStore<String, PendingEmail> store;
    private final MailerMetrics metrics;
    private final Map<String, Long> counted = new HashMap<>();

    PendingStore(KeyValueStore<String, PendingEmail> store, MailerMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        try (KeyValueIterator<String, PendingEmail> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, PendingEmail> kv = it.next();
                counted.merge(kv.value.tenant(), 1L, Long::sum);
            }
        }
        counted.forEach(metrics::pendingChanged);
    }

    void put(String key, PendingEmail email) {
        if (store.get(key) == null) {
            change(email.tenant(), 1);
        }
        store.put(key, email);
    }

    void delete(String key) {
        PendingEmail old = store.delete(key);
        if (old != null) {
            change(old.tenant(), -1);
        }
    }

    KeyValueIterator<String, PendingEmail> range(String from, String to) {
        return store.range(from, to);
    }

    private void change(String tenant, long delta) {
        counted.merge(tenant, delta, Long::sum);
        metrics.pendingChanged(tenant, delta);
    }

    /** Takes this task's emails out of the gauge. */
    void close() {
        counted.forEach((tenant, n) -> metrics.pendingChanged(tenant, -n));
        counted.clear();
    }
}
