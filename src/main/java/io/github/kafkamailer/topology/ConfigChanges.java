package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.MailerConfig;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Tells each sending task which tenants' configs changed, so a task reads a tenant's config when it changes,
 * never the whole table on every tick. Told on the global stream thread (after the table holds the new
 * version); each task drains its own queue on its stream thread. Thread-safe; a tenant's name is queued once
 * per change, and a task that was not subscribed yet reads the table itself when it starts.
 */
final class ConfigChanges implements ConfigListener {
    private final Set<Queue<String>> subscribers = new CopyOnWriteArraySet<>();

    /** A queue of the tenants whose config changes from now on; {@link #unsubscribe} it when the task closes. */
    Queue<String> subscribe() {
        Queue<String> q = new ConcurrentLinkedQueue<>();
        subscribers.add(q);
        return q;
    }

    void unsubscribe(Queue<String> q) {
        subscribers.remove(q);
    }

    @Override
    public void applied(String tenant, MailerConfig config) {
        subscribers.forEach(q -> q.add(tenant));
    }

    @Override
    public void removed(String tenant) {
        subscribers.forEach(q -> q.add(tenant));
    }
}
