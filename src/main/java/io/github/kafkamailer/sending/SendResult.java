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
 */
public record SendResult(SendJob job, EmailEvent email, SendOutcome outcome) {
    public static SendResult notAttempted(SendJob job) {
        return new SendResult(job, null, null);
    }

    public boolean attempted() {
        return outcome != null;
    }
}
