package io.github.kafkamailer.sending;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.SendOutcome;

/**
 * Sends one job over a session, on a sender thread: parses the event (once, here, not on the stream thread) and
 * hands it to the transport. Whatever happens, the job gets an outcome: an exception or an {@code Error} out of
 * a transport is a transient failure naming its class, counted as an attempt like any other, so that no email
 * can stall its tenant by throwing.
 */
final class JobSending {
    private JobSending() {
    }

    static SendResult send(RunFailover.Session session, SendJob job, MailerConfig config) {
        EmailEvent email;
        try {
            email = EmailEventJson.parse(job.event()).withCreatedAtIfAbsent(job.acceptedAt());
        } catch (InvalidRecordException e) {
            // Accepted by an older mailer with laxer rules: it can't be sent as it is.
            return new SendResult(job, null, new SendOutcome.Failed(config.transportKind(), FailureClass.INVALID,
                    e.getMessage(), false));
        } catch (Throwable t) {
            return new SendResult(job, null, unexpected(config.transportKind(), "reading the email", t));
        }
        TransportKind kind = email.mode() == Mode.DRAFT ? TransportKind.GRAPH : config.transportKind();
        try {
            RunFailover.Sent sent = session.send(email, job.onlyRecipients());
            SendOutcome outcome = sent.outcome();
            return new SendResult(job, email, outcome != null ? outcome
                    : new SendOutcome.Failed(kind, FailureClass.TRANSIENT, "the transport gave no outcome", false),
                    sent.server(), sent.startedFailover());
        } catch (Throwable t) {
            return new SendResult(job, email, unexpected(kind, "sending", t));
        }
    }

    /** A transport bug or a JVM error: transient (it may pass later), and its class named for whoever looks. */
    static SendOutcome.Failed unexpected(TransportKind kind, String while_, Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("[\\r\\n]+", " ");
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return new SendOutcome.Failed(kind, FailureClass.TRANSIENT,
                "unexpected " + t.getClass().getName() + " while " + while_ + message, false);
    }
}
