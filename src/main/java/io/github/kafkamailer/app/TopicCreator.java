package io.github.kafkamailer.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the declared topics that don't exist yet; existing topics are left as they are. */
public final class TopicCreator {
    private TopicCreator() {
    }

    /** Returns the names of the topics it created. */
    public static List<String> createMissing(Admin admin, List<TopicSpec> specs, Duration timeout)
            throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(newTopic(spec));
                }
            }
            List<String> created = new ArrayList<>();
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e
                    : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    // Another instance may have created it meanwhile; that is fine.
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
            return created;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the mailer's topics: " + e.getMessage(), e);
        }
    }

    private static NewTopic newTopic(TopicSpec spec) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy());
        if (spec.retentionDays() != null) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(spec.retentionDays()).toMillis()));
        }
        // -1 leaves the choice to the broker (num.partitions, default.replication.factor).
        return new NewTopic(spec.name(),
                spec.partitions() < 0 ? java.util.Optional.empty() : java.util.Optional.of(spec.partitions()),
                spec.replicationFactor() < 0 ? java.util.Optional.empty() : java.util.Optional.of(spec.replicationFactor()))
                .configs(configs);
    }
}
