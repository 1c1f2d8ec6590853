package io.github.kafkamailer.app;

/**
 * One topic as {@code topics/topics.json} declares it.
 *
 * @param partitions      -1 for the broker's default
 * @param replicationFactor -1 for the broker's default
 * @param maxMessageBytes the topic's {@code max.message.bytes}; null for the broker's default
 */
public record TopicSpec(String role, String name, int partitions, short replicationFactor, String cleanupPolicy,
                        Integer retentionDays, Integer maxMessageBytes) {
}
