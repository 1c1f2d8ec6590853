package io.github.kafkamailer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkamailer.topology.TopicNames;
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
            JsonNode root = new ObjectMapper().readTree(in);
            List<TopicSpec> specs = new ArrayList<>();
            for (JsonNode t : root.path("topics")) {
                String role = t.path("role").asText();
                JsonNode retention = t.get("retentionDays");
                specs.add(new TopicSpec(role, nameFor(role, names),
                        number(settings, role, "partitions", ProcessSettings.TOPIC_PARTITIONS),
                        (short) number(settings, role, "replication.factor", ProcessSettings.TOPIC_REPLICATION_FACTOR),
                        t.path("cleanupPolicy").asText("delete"), retention == null ? null : retention.asInt()));
            }
            return specs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int number(ProcessSettings settings, String role, String what, String generalKey) {
        String key = "mailer.topic." + role + "." + what;
        String v = settings.get(key, settings.get(generalKey, "-1"));
        try {
            int n = Integer.parseInt(v.trim());
            if (n == 0 || n < -1 || n > Short.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what.replace('.', ' ') + " of the " + role + " topic must be a"
                    + " positive number or -1 (the broker's default), got '" + v + "'");
        }
    }

    private static String nameFor(String role, TopicNames names) {
        return switch (role) {
            case "outbox" -> names.outbox();
            case "config" -> names.config();
            case "retry" -> names.retry();
            case "dlq" -> names.dlq();
            case "status" -> names.status();
            default -> throw new IllegalStateException("unknown topic role '" + role + "' in " + RESOURCE);
        };
    }
}
