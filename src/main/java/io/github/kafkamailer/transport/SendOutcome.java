package io.github.kafkamailer.transport;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.TransportKind;
import java.time.Instant;
import java.util.List;

/** What happened to one email handed to a {@link TransportSession}. */
public sealed interface SendOutcome {

    /**
     * The server accepted the email for at least one recipient.
     *
     * @param rejectedRecipients recipients the server refused for good while it accepted others; named in the
     *                           status event
     */
    record Delivered(TransportKind transport, Instant acceptedAt, List<String> rejectedRecipients)
            implements SendOutcome {
        public Delivered {
            rejectedRecipients = List.copyOf(rejectedRecipients);
        }
    }

    /**
     * The email was created as a draft (a {@code DRAFT} email, CONTRACT.md) and nothing was sent: recorded like a
     * delivery (never drafted twice in normal operation), published with status {@code DRAFTED}.
     */
    record Drafted(TransportKind transport, Instant draftedAt) implements SendOutcome {
    }

    /**
     * The email was not delivered.
     *
     * @param reason      for a person: the server's reply or what went wrong; never a secret
     * @param serverDown  true when the server could not be used at all (refused connection, failed TLS or
     *                    AUTH): the rest of the run is not attempted, since it would fail the same way
     */
    record Failed(TransportKind transport, FailureClass failureClass, String reason, boolean serverDown)
            implements SendOutcome {
    }
}
