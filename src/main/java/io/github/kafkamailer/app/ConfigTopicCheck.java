package io.github.kafkamailer.app;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config topic must be compacted (CONTRACT.md): with {@code cleanup.policy=delete} the broker removes a
 * tenant's only config record once it is older than the retention, and the tenant silently stops sending after
 * the next restart. The mailer refuses to start on such a topic rather than run towards that day.
 */
final class ConfigTopicCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigTopicCheck.class);

    private ConfigTopicCheck() {
    }

    /** @throws IllegalStateException naming the topic, its policy and the fix, when it is not compacted */
    static void requireCompacted(Admin admin, String topic, Duration timeout) throws InterruptedException {
        String policy = TopicSettings.read(admin, List.of(topic), timeout).get(topic)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        Set<String> policies = Arrays.stream(policy.split(",")).map(String::strip).collect(Collectors.toSet());
        if (!policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalStateException("the config topic " + topic + " is not compacted (cleanup.policy="
                    + policy + "): the broker would delete tenants' configs once they are older than its retention."
                    + " Set cleanup.policy=compact on it (kafka-configs.sh --alter --entity-type topics"
                    + " --entity-name " + topic + " --add-config cleanup.policy=compact), then start again");
        }
        if (policies.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
            LOG.warn("The config topic {} has cleanup.policy={}: a tenant's config older than the topic's retention"
                    + " will be deleted; cleanup.policy=compact alone keeps it", topic, policy);
        }
    }
}
