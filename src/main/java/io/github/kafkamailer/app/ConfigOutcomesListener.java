package io.github.kafkamailer.app;

import io.github.kafkamailer.console.ConfigOutcomes;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.topology.ConfigListener;

/** Tells the console's {@link ConfigOutcomes} what the config table made of each record. */
final class ConfigOutcomesListener implements ConfigListener {
    private final ConfigOutcomes outcomes;

    ConfigOutcomesListener(ConfigOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public void applied(String tenant, MailerConfig config) {
        outcomes.applied(tenant, config);
    }

    @Override
    public void removed(String tenant) {
        outcomes.removed(tenant);
    }

    @Override
    public void rejected(String tenant, String reason) {
        outcomes.rejected(tenant, reason);
    }
}
