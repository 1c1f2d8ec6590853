package io.github.kafkamailer.sending;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.transport.SendOutcome;

/**
 * What became of one {@link SendJob}. Every job handed to a {@link TenantSender} comes back exactly once, as
 * one of these.
 *
 * @param email   the parsed event; null when it could not be parsed (then the outcome says why) or was not
 *                attempted
 * @param outcome what the transport said; null when the job was never handed to a transport (the run stopped
 *                first): the email stays pending, no attempt counted
 * @param server  which of the tenant's servers the outcome came from, {@link
 *                io.github.kafkamailer.model.StatusEvent#PRIMARY_SERVER} or {@code FALLBACK_SERVER}; null when the
 *                tenant has no fallback server, for a draft, and when not attempted
 * @param startedFailover true for the one result of a run whose primary proved unusable and moved the run to the
 *                fallback server ({@link RunFailover}): it counts the run's failover
 */
public record SendResult(SendJob job, EmailEvent email, SendOutcome outcome, String server,
                         boolean startedFailover) {
    public SendResult(SendJob job, EmailEvent email, SendOutcome outcome) {
        this(job, email, outcome, null, false);
    }

    public static SendResult notAttempted(SendJob job) {
        return new SendResult(job, null, null);
    }

    public boolean attempted() {
        return outcome != null;
    }
}
