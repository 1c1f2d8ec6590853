package io.github.kafkamailer.model;

/** What to do with an email event: send it, or create a draft in the Outlook (New) mailbox. */
public enum Mode {
    SEND,
    DRAFT
}
