package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.MailerConfig;

/**
 * Told when a tenant's config takes effect or is removed, for the work that lives outside the stream (such as
 * applying the retention to the topics). Called on the global stream thread: return quickly.
 */
public interface ConfigListener {
    void applied(String tenant, MailerConfig config);

    void removed(String tenant);

    /** A record of the tenant was rejected; its last valid config (if any) stays in force. */
    default void rejected(String tenant, String reason) {
    }

    /** Tells each of {@code listeners}, in order. */
    static ConfigListener all(ConfigListener... listeners) {
        return new ConfigListener() {
            @Override
            public void applied(String tenant, MailerConfig config) {
                for (ConfigListener l : listeners) {
                    l.applied(tenant, config);
                }
            }

            @Override
            public void removed(String tenant) {
                for (ConfigListener l : listeners) {
                    l.removed(tenant);
                }
            }

            @Override
            public void rejected(String tenant, String reason) {
                for (ConfigListener l : listeners) {
                    l.rejected(tenant, reason);
                }
            }
        };
    }

    ConfigListener NONE = new ConfigListener() {
        @Override
        public void applied(String tenant, MailerConfig config) {
        }

        @Override
        public void removed(String tenant) {
        }
    };
}
