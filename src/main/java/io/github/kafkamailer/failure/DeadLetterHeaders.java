package io.github.kafkamailer.failure;

/** The header names of a dead letter (CONTRACT.md, "Dead letters"), declared once for writers and readers. */
public final class DeadLetterHeaders {
    public static final String KIND = "mailer.error.kind";
    public static final String MESSAGE = "mailer.error.message";
    public static final String ATTEMPTS = "mailer.attempts";
    public static final String FIRST_FAILURE = "mailer.first.failure";
    public static final String SOURCE = "mailer.source";
    /**
     * The recipients the email was still to be sent to, one per line, whole, when it was dead-lettered after a
     * server had taken it for the others (the retry topic's {@link RetryHeaders#RECIPIENTS}); absent when no
     * recipient got it. The reason names them too, but it is cut at 2,000 characters.
     */
    public static final String UNDELIVERED_RECIPIENTS = "mailer.undelivered.recipients";
    /**
     * Only when {@link #UNDELIVERED_RECIPIENTS} could not list them all within the producer's record limit: all of
     * them, as {@link RetryHeaders#RECIPIENT_POSITIONS} gives them (bits over the email's {@code to}, {@code cc},
     * {@code bcc}, base64); the list then ends with a line saying how many more there are.
     */
    public static final String UNDELIVERED_POSITIONS = "mailer.undelivered.positions";

    private DeadLetterHeaders() {
    }
}
