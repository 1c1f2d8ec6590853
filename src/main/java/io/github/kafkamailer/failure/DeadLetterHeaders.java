package io.github.kafkamailer.failure;

/** The header names of a dead letter (CONTRACT.md, "Dead letters"), declared once for writers and readers. */
public final class DeadLetterHeaders {
    public static final String KIND = "mailer.error.kind";
    public static final String MESSAGE = "mailer.error.message";
    public static final String ATTEMPTS = "mailer.attempts";
    public static final String FIRST_FAILURE = "mailer.first.failure";
    public static final String SOURCE = "mailer.source";

    private DeadLetterHeaders() {
    }
}
