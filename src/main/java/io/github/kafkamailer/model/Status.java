package io.github.kafkamailer.model;

/** What happened to an email, as published on the status topic (CONTRACT.md, "Status event"). */
public enum Status {
    SENT,
    DRAFTED,
    RETRY_SCHEDULED,
    DEAD_LETTERED,
    SKIPPED
}
