package io.github.kafkamailer.model;

/** What happened to an email, as published on the status topic (CONTRACT.md, "Status event"). */
public enum Status {
    SENT,
    DRAFTED,
    RETRY_SCHEDULED,
    DEAD_LETTERED,
    SKIPPED,
    /** Every recipient is suppressed: nothing was sent, and that is not a failure. */
    SUPPRESSED,
    /** A delivery status notification came back for one recipient of an email that was sent. */
    BOUNCED
}
