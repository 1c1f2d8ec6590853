package io.github.kafkamailer.app;

/** One topic as {@code topics/topics.json} declares it; partitions and replication factor -1 for the broker's default. */
public record TopicSpec(String role, String name, int partitions, short replicationFactor, String cleanupPolicy,
                        Integer retentionDays) {
}
