package io.github.kafkamailer.transport;

import io.github.kafkamailer.model.EmailEvent;

/**
 * The emails of one sending run of one tenant, sent one after another over one connection. Not thread-safe:
 * one session, one thread (but {@link #abort} may come from another). Closing it closes the connection.
 */
public interface TransportSession extends AutoCloseable {
    /** Sends one email. Never throws for a failed send: the failure is classified in the outcome. */
    SendOutcome send(EmailEvent email);

    /**
     * Sends one email to some of its recipients only: a retry of those a server deferred (4xx) while it took
     * the others. The default sends a copy addressed to them alone; SMTP keeps the headers and narrows the
     * envelope.
     *
     * @param onlyRecipients the addresses to send to; null for all of the email's recipients
     */
    default SendOutcome send(EmailEvent email, java.util.List<String> onlyRecipients) {
        return send(onlyRecipients == null ? email : email.withOnlyRecipients(onlyRecipients));
    }

    /**
     * Ends, from another thread, an exchange that hangs past its deadline (closes the connection under it), so
     * that the sending thread gets its outcome. Safe to call at any time; the session reconnects when used again.
     */
    default void abort() {
    }

    @Override
    void close();
}
