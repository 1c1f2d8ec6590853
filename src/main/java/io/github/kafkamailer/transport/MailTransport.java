package io.github.kafkamailer.transport;

import io.github.kafkamailer.model.MailerConfig;

/**
 * A way for email to leave the mailer (SMTP, SMTP with OAuth, Microsoft Graph). It knows nothing of Kafka: it
 * gets a tenant's config and the emails of one sending run, and says what happened to each.
 */
public interface MailTransport {
    /**
     * Opens the session for one sending run of one tenant. Opening is cheap and never fails: connecting
     * happens on the first send, so that a connection failure is reported as an outcome like any other.
     */
    TransportSession open(MailerConfig config);
}
