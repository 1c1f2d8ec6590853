package io.github.kafkamailer.failure;

/**
 * The three kinds of failure, decided once where the failure is seen (by reply code or exception type, never
 * by message text) and routed by this class alone.
 */
public enum FailureClass {
    /** May work later: SMTP 4xx, connection refused, timed out or dropped, a token endpoint unreachable. */
    TRANSIENT,
    /** Refused for good: SMTP 5xx for the message or for every recipient. */
    PERMANENT,
    /** The email itself breaks a rule, e.g. no sender can be chosen for it under this config. */
    INVALID
}
