package io.github.kafkamailer.app;

/**
 * One topic as {@code topics/topics.json} declares it.
 *
 * @param maxMessageBytes the topic's {@code max.message.bytes}; null for the broker's default
 */
public record TopicSpec(String role, String name, int partitions, short replicationFactor, String cleanupPolicy,
                        Integer retentionDays, Integer maxMessageBytes) {
}
