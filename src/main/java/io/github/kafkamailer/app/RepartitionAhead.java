package io.github.kafkamailer.app;

import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.TopicNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the repartitions by tenant (the normal one and the HIGH emails' own) before Kafka Streams starts, as
 * Streams would create them (same names, as many partitions as the outbox or the retry topic has, whichever more,
 * same settings), when they don't exist yet.
 *
 * <p>Why: Streams creates it during the first rebalance of a new application id; the topic then appears in the
 * metadata the group joined with, and the group rebalances once more before it runs. Measured on the benchmark,
 * that second rebalance (with the tasks made in between) took 2.8 s of the 10 s to the first email. A topic that
 * exists is left as it is; a failure (no right to create topics, say) only leaves the creating to Streams.
 */
final class RepartitionAhead {
    private static final Logger LOG = LoggerFactory.getLogger(RepartitionAhead.class);

    private RepartitionAhead() {
    }

    /** Streams' name for the repartition by tenant, which the sending task reads. */
    static String topic(String applicationId) {
        return applicationId + "-" + StoreNames.BY_TENANT + "-repartition";
    }

    /** Streams' name for the repartition of HIGH emails by tenant, which the sending task reads first. */
    static String highTopic(String applicationId) {
        return applicationId + "-" + StoreNames.BY_TENANT_HIGH + "-repartition";
    }

    /**
     * @param streamsConfig the app's Streams config: its {@code topic.}-prefixed settings and replication factor
     *                      apply, as they would to the topics Streams creates
     * @return true when it created a topic
     */
    static boolean createIfMissing(Admin admin, String applicationId, TopicNames topics, Properties streamsConfig,
                                   Duration timeout) throws InterruptedException {
        List<String> names = List.of(topic(applicationId), highTopic(applicationId));
        String name = String.join(" and ", names);
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
            if (missing.isEmpty()) {
                return false;
            }
            Map<String, TopicDescription> sources = admin.describeTopics(List.of(topics.outbox(), topics.retry()))
                    .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int partitions = sources.values().stream().mapToInt(d -> d.partitions().size()).max().orElseThrow();
            if (missing.size() < names.size()) {
                // One exists already (an upgrade adds the HIGH one): the other must be co-partitioned with it.
                String present = names.stream().filter(existing::contains).findFirst().orElseThrow();
                partitions = admin.describeTopics(List.of(present)).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(present).partitions().size();
            }
            List<NewTopic> create = new java.util.ArrayList<>();
            for (String n : missing) {
                Map<String, String> c = n.equals(highTopic(applicationId)) ? highConfigs(streamsConfig)
                        : configs(streamsConfig);
                create.add(new NewTopic(n, Optional.of(partitions), replication(streamsConfig)).configs(c));
            }
            admin.createTopics(create).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("Created {} with {} partition(s) before Kafka Streams started", missing, partitions);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.info("Could not create {} ahead of Kafka Streams ({}): Streams creates it, and the first start"
                        + " rebalances once more", name, e.getCause() == null ? e : e.getCause().getMessage());
            }
            return false;
        } catch (TimeoutException e) {
            LOG.info("Could not create {} ahead of Kafka Streams (timed out): Streams creates it", name);
            return false;
        }
    }

    /** What Streams gives a repartition topic it creates, then the app's {@code topic.} settings over them. */
    static Map<String, String> configs(Properties streamsConfig) {
        Map<String, String> c = new HashMap<>();
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        c.put(TopicConfig.SEGMENT_BYTES_CONFIG, "52428800");
        c.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        for (String key : streamsConfig.stringPropertyNames()) {
            if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
                c.put(key.substring(StreamsConfig.TOPIC_PREFIX.length()), streamsConfig.getProperty(key));
            }
        }
        return c;
    }

    /**
     * The HIGH repartition's: as {@link #configs}, and records of any age accepted whatever the broker's
     * {@code log.message.timestamp.before.max.ms} (its records carry timestamp 0, to be read first).
     */
    static Map<String, String> highConfigs(Properties streamsConfig) {
        Map<String, String> c = configs(streamsConfig);
        c.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        c.put(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));
        return c;
    }

    private static Optional<Short> replication(Properties streamsConfig) {
        String r = streamsConfig.getProperty(StreamsConfig.REPLICATION_FACTOR_CONFIG);
        return r == null || Short.parseShort(r.trim()) < 1 ? Optional.empty() : Optional.of(Short.parseShort(r.trim()));
    }
}
