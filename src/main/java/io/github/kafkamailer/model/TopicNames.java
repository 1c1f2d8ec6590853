package io.github.kafkamailer.model;

/** The seven topics of the contract, under the names this deployment gives them. */
public record TopicNames(String outbox, String config, String retry, String dlq, String status, String templates,
                         String suppressions) {
    public static TopicNames defaults() {
        return new TopicNames("mail.outbox", "mail.config", "mail.retry", "mail.dlq", "mail.status",
                "mail.templates", "mail.suppressions");
    }
}
