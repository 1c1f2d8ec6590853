package io.github.kafkamailer.model;

import java.time.Instant;

/**
 * One status change of one email. {@code error} is a reason for a person and never holds a secret: it is built
 * from server replies and our own messages, never from the config.
 */
public record StatusEvent(String id, String tenant, Status status, int attempts, Instant at,
                          TransportKind transport, String error) {
}
