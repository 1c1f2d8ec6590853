package io.github.kafkamailer.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkamailer.json.Json;
import io.github.kafkamailer.model.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The topics as code: {@code topics/topics.json}, shipped in the jar, declares the five topics of the
 * contract (partitions, cleanup policy, retention). Names come from the process config, by role.
 */
public final class TopicsFile {
    static final String RESOURCE = "/topics/topics.json";

    private TopicsFile() {
    }

    /** The declared topics, renamed as {@code names} says, with the broker's partitions and replication. */
    public static List<TopicSpec> load(TopicNames names) {
        return load(names, ProcessSettings.of(new java.util.Properties()));
    }

    /**
     * The declared topics, named as the settings say, with the partitions and replication factor the settings
     * give: {@code mailer.topic.<role>.partitions}, else {@code mailer.topic.partitions}, else -1, the broker's
     * default (likewise {@code .replication.factor}). Nothing of the kind is compiled into the jar.
     */
    public static List<TopicSpec> load(ProcessSettings settings) {
        return load(settings.topics(), settings);
    }

    private static List<TopicSpec> load(TopicNames names, ProcessSettings settings) {
        try (InputStream in = TopicsFile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode root = Json.tolerantReader().readTree(in);
            Integer outboxLimit = null;
            for (JsonNode t : root.path("topics")) {
                if ("outbox".equals(t.path("role").asText()) && t.has("maxMessageBytes")) {
                    outboxLimit = t.get("maxMessageBytes").asInt();
                }
            }
            List<TopicSpec> specs = new ArrayList<>();
            for (JsonNode t : root.path("topics")) {
                String role = t.path("role").asText();
                JsonNode retention = t.get("retentionDays");
                specs.add(new TopicSpec(role, nameFor(role, names),
                        settings.checked().topicPartitions(role), settings.checked().topicReplicationFactor(role),
                        t.path("cleanupPolicy").asText("delete"), retention == null ? null : retention.asInt(),
                        maxMessageBytes(t, role, outboxLimit)));
            }
            return specs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A declared size wins; the retry and dead-letter topics, which carry the outbox's records plus headers, get
     * the outbox's declared size plus headroom ({@link RecordSizes}), so the file states one number, not three.
     */
    private static Integer maxMessageBytes(JsonNode t, String role, Integer outboxLimit) {
        if (t.has("maxMessageBytes")) {
            return t.get("maxMessageBytes").asInt();
        }
        if (outboxLimit != null && ("retry".equals(role) || "dlq".equals(role))) {
            return RecordSizes.withHeadroom(outboxLimit);
        }
        return null;
    }

    private static String nameFor(String role, TopicNames names) {
        return switch (role) {
            case "outbox" -> names.outbox();
            case "config" -> names.config();
            case "retry" -> names.retry();
            case "dlq" -> names.dlq();
            case "status" -> names.status();
            case "templates" -> names.templates();
            case "suppressions" -> names.suppressions();
            default -> throw new IllegalStateException("unknown topic role '" + role + "' in " + RESOURCE);
        };
    }
}
