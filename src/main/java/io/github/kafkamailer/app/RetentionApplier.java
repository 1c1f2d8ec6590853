package io.github.kafkamailer.app;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.topology.ConfigListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code retentionDays} into the {@code retention.ms} of the outbox, retry, dead-letter and status topics.
 * Those topics are shared by every tenant, so the longest retention any tenant asks for wins: no tenant loses
 * records earlier than its config promises. The AdminClient call runs on its own thread, off the stream.
 */
public final class RetentionApplier implements ConfigListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionApplier.class);

    private final Admin admin;
    private final List<String> topics;
    private final Map<String, Integer> daysByTenant = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mailer-retention");
        t.setDaemon(true);
        return t;
    });
    private volatile Integer lastApplied;

    public RetentionApplier(Admin admin, TopicNames names) {
        this.admin = admin;
        this.topics = List.of(names.outbox(), names.retry(), names.dlq(), names.status());
    }

    @Override
    public void applied(String tenant, MailerConfig config) {
        daysByTenant.put(tenant, config.retentionDays());
        schedule();
    }

    @Override
    public void removed(String tenant) {
        daysByTenant.remove(tenant);
        schedule();
    }

    private void schedule() {
        executor.execute(this::applyLongest);
    }

    private void applyLongest() {
        Integer days = longest(daysByTenant.values());
        if (days == null || days.equals(lastApplied)) {
            return;
        }
        String ms = Long.toString(Duration.ofDays(days).toMillis());
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new java.util.HashMap<>();
        for (String topic : topics) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, ms),
                            AlterConfigOp.OpType.SET)));
        }
        try {
            admin.incrementalAlterConfigs(ops).all().get(30, TimeUnit.SECONDS);
            lastApplied = days;
            LOG.info("Retention of {} set to {} days (retention.ms={})", topics, days, ms);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Could not set the retention of {} to {} days, will try again at the next config change: {}",
                    topics, days, e.getMessage());
        }
    }

    private static Integer longest(Collection<Integer> values) {
        List<Integer> copy = new ArrayList<>(values);
        return copy.stream().max(Integer::compare).orElse(null);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
