package io.github.kafkamailer.bounce;

import java.util.List;

/**
 * A delivery status notification found in a bounce mailbox and matched to emails of ours.
 *
 * @param reportId the notification's own id in the mailbox (its Message-ID, or else its IMAP UID): what the
 *                 mailer remembers as processed, so a notification read again is deleted, never counted again
 * @param bounces  the recipients it reports as failed or delayed, each matched to its email
 */
public record FoundReport(String reportId, List<Bounce> bounces) {
    public FoundReport {
        bounces = List.copyOf(bounces);
    }
}
