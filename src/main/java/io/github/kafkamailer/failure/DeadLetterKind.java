package io.github.kafkamailer.failure;

/** Why an email ended in the dead-letter topic; the {@code mailer.error.kind} header. */
public enum DeadLetterKind {
    /** Unparsable, or breaks a rule of the contract: sending it again as it is would fail the same way. */
    INVALID,
    /** The server refused it for good (SMTP 5xx, Graph 4xx other than 429). */
    PERMANENT,
    /** Still failing {@code maxErrorSeconds} after its first failure. */
    EXPIRED
}
