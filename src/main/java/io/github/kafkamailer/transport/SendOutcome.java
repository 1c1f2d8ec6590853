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
     * @param rejectedRecipients recipients the server refused for good (5xx) while it accepted others; named in
     *                           the status event
     * @param deferredRecipients recipients the server refused for now (4xx) while it accepted others, as bare
     *                           addresses: the email is retried later for them only
     * @param deferredReason     what the server said about the deferred ones; null when none
     */
    record Delivered(TransportKind transport, Instant acceptedAt, List<String> rejectedRecipients,
                     List<String> deferredRecipients, String deferredReason) implements SendOutcome {
        public Delivered {
            rejectedRecipients = List.copyOf(rejectedRecipients);
            deferredRecipients = List.copyOf(deferredRecipients);
        }

        public Delivered(TransportKind transport, Instant acceptedAt, List<String> rejectedRecipients) {
            this(transport, acceptedAt, rejectedRecipients, List.of(), null);
        }

        public boolean partial() {
            return !deferredRecipients.isEmpty();
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
     *                    AUTH, no answer within the deadline): the rest of the run is not attempted, since it
     *                    would fail the same way
     * @param slowDown    when the server asked the sender to slow down (SMTP 421, 451 4.7.x or 4.3.2, 454 4.7.0;
     *                    Graph 429), how long the whole tenant should wait before its next run; null otherwise
     * @param serverFault why the server could not be used at all, when that is what failed (what a run's failover
     *                    is decided by); null when the failure is about this email or its recipients
     */
    record Failed(TransportKind transport, FailureClass failureClass, String reason, boolean serverDown,
                  java.time.Duration slowDown, io.github.kafkamailer.failure.ServerFault serverFault)
            implements SendOutcome {
        public Failed(TransportKind transport, FailureClass failureClass, String reason, boolean serverDown) {
            this(transport, failureClass, reason, serverDown, null, null);
        }

        public Failed(TransportKind transport, FailureClass failureClass, String reason, boolean serverDown,
                      java.time.Duration slowDown) {
            this(transport, failureClass, reason, serverDown, slowDown, null);
        }

        /** The same failure, saying why the server could not be used at all. */
        public Failed withServerFault(io.github.kafkamailer.failure.ServerFault fault) {
            return new Failed(transport, failureClass, reason, serverDown, slowDown, fault);
        }

        /** The run stops here: the rest of its emails wait for the next one, without an attempt counted. */
        public boolean stopsRun() {
            return serverDown || slowDown != null;
        }
    }

    /** True when this outcome ends the tenant's run (see {@link Failed#stopsRun}). */
    default boolean stopsRun() {
        return this instanceof Failed f && f.stopsRun();
    }
}
