package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.MailerConfig;

/**
 * Told when a tenant's config takes effect or is removed, for the work that lives outside the stream (such as
 * applying the retention to the topics). Called on the global stream thread: return quickly.
 */
public interface ConfigListener {
    void applied(String tenant, MailerConfig config);

    void removed(String tenant);

    ConfigListener NONE = new ConfigListener() {
        @Override
        public void applied(String tenant, MailerConfig config) {
        }

        @Override
        public void removed(String tenant) {
        }
    };
}
