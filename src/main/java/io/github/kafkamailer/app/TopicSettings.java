package io.github.kafkamailer.app;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Reads topics' settings (their effective values, broker defaults included) with the AdminClient. */
final class TopicSettings {
    private TopicSettings() {
    }

    static Map<String, Config> read(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException {
        Map<String, ConfigResource> resources = new HashMap<>();
        for (String t : topics) {
            resources.put(t, new ConfigResource(ConfigResource.Type.TOPIC, t));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<ConfigResource, Config> described = admin.describeConfigs(resources.values()).all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<String, Config> byTopic = new HashMap<>();
                resources.forEach((t, r) -> byTopic.put(t, described.get(r)));
                return byTopic;
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                // A topic created a moment ago (by us or another instance) is not known to every broker yet.
                if (cause instanceof UnknownTopicOrPartitionException && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    continue;
                }
                throw new IllegalStateException("cannot read the settings of the topics " + topics + ": "
                        + cause, cause);
            }
        }
    }
}
