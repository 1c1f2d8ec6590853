package io.github.kafkamailer.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any record the outbox accepts must be delivered, retried or dead-lettered (CONTRACT.md), yet on its way it grows:
 * the pending-store envelope (tenant, id, source, times: well under 1 KiB with the id at most 256 characters) on
 * the repartition topic and the store's changelog, the retry headers on {@code mail.retry}, the dead-letter
 * headers (a reason cut at 2,000 characters) on {@code mail.dlq}. So every topic the mailer writes an email to,
 * and its producer's {@code max.request.size}, allow the outbox's {@code max.message.bytes} plus a headroom of
 * <b>10 % or 64 KiB, whichever is larger</b>: several times what the headers and the envelope can add. The
 * recipients a server deferred, which could be as long as the email itself, travel as at most 16 KiB of list or as
 * one bit per recipient ({@code topology/RecipientPositions}), and every record written after a send is measured
 * against the producer's limit before it is written ({@code topology/RecordLimit}).
 *
 * <p>Sizes are only ever raised, never lowered: an operator's larger value stays.
 */
final class RecordSizes {
    private static final Logger LOG = LoggerFactory.getLogger(RecordSizes.class);
    static final int MIN_HEADROOM = 64 * 1024;

    private RecordSizes() {
    }

    /** The size every topic the mailer writes emails to must allow, for an outbox that allows {@code outboxLimit}. */
    static int withHeadroom(int outboxLimit) {
        long headroom = Math.max(MIN_HEADROOM, outboxLimit / 10L);
        return (int) Math.min(Integer.MAX_VALUE, outboxLimit + headroom);
    }

    /** The outbox's effective {@code max.message.bytes} (its own, or the broker's default). */
    static int outboxLimit(Admin admin, String outbox, Duration timeout) throws InterruptedException {
        Config c = TopicSettings.read(admin, List.of(outbox), timeout).get(outbox);
        return Integer.parseInt(c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
    }

    /**
     * The Kafka Streams internal topics of this application that already exist (the repartition topic and the
     * stores' changelogs): created by an earlier start, maybe with a smaller limit.
     */
    static List<String> internalTopics(Admin admin, String applicationId, Duration timeout)
            throws InterruptedException {
        try {
            Set<String> all = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> mine = new ArrayList<>();
            for (String t : all) {
                if (t.startsWith(applicationId + "-") && (t.endsWith("-changelog") || t.endsWith("-repartition"))) {
                    mine.add(t);
                }
            }
            return mine;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics: " + e.getMessage(), e);
        }
    }

    /**
     * Raises {@code max.message.bytes} of each topic below {@code bytes} to it. A failure (no permission to alter
     * topics, say) is logged with what the operator must do, and the mailer goes on: records below the old limit
     * still pass.
     */
    static void raise(Admin admin, Collection<String> topics, int bytes, Duration timeout) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        TopicSettings.read(admin, topics, timeout).forEach((topic, config) -> {
            int current = Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
            if (current < bytes) {
                ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                        AlterConfigOp.OpType.SET)));
            }
        });
        if (ops.isEmpty()) {
            return;
        }
        List<String> names = ops.keySet().stream().map(ConfigResource::name).sorted().toList();
        try {
            admin.incrementalAlterConfigs(ops).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("max.message.bytes of {} raised to {} (the outbox's limit plus headroom for headers)", names,
                    bytes);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not raise max.message.bytes of {} to {} ({}): an email near the outbox's size limit may"
                    + " stop its partition; set it on those topics by hand", names, bytes, e.getMessage());
        }
    }
}
