package io.github.kafkamailer.model;

/** How an email left the mailer; the {@code transport} of status events and of the metrics' labels. */
public enum TransportKind {
    SMTP,
    SMTP_OAUTH,
    GRAPH
}
