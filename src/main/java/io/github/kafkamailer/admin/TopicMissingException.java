package io.github.kafkamailer.admin;

/** A topic the call needs does not exist on the cluster; the message names it and how to create it. */
public final class TopicMissingException extends IllegalStateException {
    private final String topic;

    public TopicMissingException(String topic, String bootstrapServers) {
        super("topic " + topic + " does not exist at " + bootstrapServers
                + " (create the mailer's topics with `mailer topics create`)");
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
