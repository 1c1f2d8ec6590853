package io.github.kafkamailer.model;

/**
 * How soon an email must go: {@code NORMAL} with the tenant's runs, or {@code HIGH} (a password reset, a one-time
 * code): handed to a connection within a second of reaching the mailer, ahead of the tenant's normal emails,
 * whatever its {@code campaignIntervalSeconds}, still within its {@code maxEmailsPerMinute}. Its retries keep it.
 */
public enum Priority {
    NORMAL,
    HIGH
}
