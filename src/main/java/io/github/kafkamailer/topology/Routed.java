package io.github.kafkamailer.topology;

/** What the intake step hands on: an email for the pending store, or a record for an output topic. */
public sealed interface Routed permits Outbound, PendingEmail {
}
