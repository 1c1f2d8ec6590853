package io.github.kafkamailer.transport;

import io.github.kafkamailer.model.EmailEvent;

/**
 * The emails of one sending run of one tenant, sent one after another over one connection. Not thread-safe:
 * one run, one thread. Closing it closes the connection.
 */
public interface TransportSession extends AutoCloseable {
    /** Sends one email. Never throws for a failed send: the failure is classified in the outcome. */
    SendOutcome send(EmailEvent email);

    @Override
    void close();
}
