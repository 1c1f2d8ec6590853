package io.github.kafkamailer.console;

import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.topology.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link LastHour} from the topics, so the overview counts what every instance did, not only this one:
 * sent and drafted emails and dead letters from the status topic, and the invalid events (which never get a
 * status) from the dead-letter topic. It reads every partition from an hour ago on, without a consumer group,
 * on a thread of its own; a record it cannot read is skipped.
 */
final class LastHourFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LastHourFollower.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicNames topics;
    private final LastHour counts;
    private final Clock clock;
    private final Function<ConsumerRecord<byte[], byte[]>, String> invalidTenant;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param invalidTenant the tenant a dead letter of kind INVALID is counted under, or null to skip it (the
     *                      other kinds are counted from their DEAD_LETTERED status)
     */
    LastHourFollower(Properties kafkaClientProps, TopicNames topics, LastHour counts, Clock clock,
                     Function<ConsumerRecord<byte[], byte[]>, String> invalidTenant) {
        Properties p = new Properties();
        p.putAll(kafkaClientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "mailer-console-last-hour");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(onlyConsumerProps(p), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.counts = counts;
        this.clock = clock;
        this.invalidTenant = invalidTenant;
        this.thread = new Thread(this::run, "mailer-console-last-hour");
        this.thread.setDaemon(true);
    }

    LastHourFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            assignFromAnHourAgo();
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    count(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("The console's last-hour counts stopped following the topics: {}", e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignFromAnHourAgo() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.status(), topics.dlq())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        long from = clock.instant().minus(LastHour.WINDOW).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        List<TopicPartition> atEnd = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                atEnd.add(tp);
            } else {
                consumer.seek(tp, o.offset());
            }
        }
        consumer.seekToEnd(atEnd);
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(topics.status())) {
                StatusEvent s = StatusEventJson.parse(r.value());
                if (s.status() == Status.SENT || s.status() == Status.DRAFTED) {
                    counts.sent(s.tenant(), s.at());
                } else if (s.status() == Status.DEAD_LETTERED) {
                    counts.deadLettered(s.tenant(), s.at());
                }
            } else if (invalidTenant != null) {
                String tenant = invalidTenant.apply(r);
                if (tenant != null) {
                    counts.deadLettered(tenant, java.time.Instant.ofEpochMilli(r.timestamp()));
                }
            }
        } catch (RuntimeException unreadable) {
            // Not the mailer's own status event: nothing to count.
        }
    }

    private static Properties onlyConsumerProps(Properties all) {
        Properties p = new Properties();
        for (String k : all.stringPropertyNames()) {
            if (ConsumerConfig.configNames().contains(k)) {
                p.setProperty(k, all.getProperty(k));
            }
        }
        return p;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
