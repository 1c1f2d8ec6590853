package io.github.kafkamailer.failure;

/**
 * Headers of a record on the retry topic: the contract's {@link DeadLetterHeaders#ATTEMPTS} and
 * {@link DeadLetterHeaders#FIRST_FAILURE}, and the mailer's own bookkeeping, so that an email's retry history
 * travels with it and survives a restart or a move to another instance.
 */
public final class RetryHeaders {
    public static final String ATTEMPTS = DeadLetterHeaders.ATTEMPTS;
    public static final String FIRST_FAILURE = DeadLetterHeaders.FIRST_FAILURE;
    public static final String SOURCE = DeadLetterHeaders.SOURCE;
    /** ISO-8601 instant before which the email is not tried again. */
    public static final String NEXT_ATTEMPT = "mailer.next.attempt";
    /** ISO-8601 instant the outbox record was accepted: its {@code createdAt} when the event had none. */
    public static final String ACCEPTED_AT = "mailer.accepted.at";
    /**
     * The recipients still to send to, one per line, when a server took the email for the others and deferred
     * these (4xx); absent when the retry is for every recipient.
     */
    public static final String RECIPIENTS = "mailer.recipients";
    /**
     * The same recipients in place of {@link #RECIPIENTS} when their list is long: base64 of one bit per recipient
     * of the email ({@code to}, then {@code cc}, then {@code bcc}; bit i is bit i % 8 of byte i / 8), set for those
     * still to send to. Its size doesn't grow with the addresses' length, so the record always fits.
     */
    public static final String RECIPIENT_POSITIONS = "mailer.recipients.positions";
    /**
     * The recipients an earlier attempt left out because they were suppressed, one per line, for the final
     * {@code SENT}; absent when none (or when their list is long).
     */
    public static final String SUPPRESSED = "mailer.suppressed";
    /** The last failure's reason, for a person looking at the retry topic. */
    public static final String LAST_ERROR = "mailer.error.message";

    private RetryHeaders() {
    }
}
