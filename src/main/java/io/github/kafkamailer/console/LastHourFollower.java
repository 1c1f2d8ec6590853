package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.DeadLetter;
import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link LastHour} from the topics, so the overview counts what every instance did, not only this one:
 * sent and drafted emails from the status topic, dead letters (every kind, the invalid events included, under
 * the tenant the dead letters page shows) from the dead-letter topic. One consumer without a group reads both
 * from an hour ago on, on a daemon thread, keeping counts only; a record it can't read is skipped, and a lost
 * cluster is retried, counting afresh.
 */
final class LastHourFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LastHourFollower.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final KafkaAccess kafka;
    private final TopicNames topics;
    private final LastHour counts;
    private final Clock clock;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;

    LastHourFollower(KafkaAccess kafka, TopicNames topics, LastHour counts, Clock clock) {
        this.kafka = kafka;
        this.topics = topics;
        this.counts = counts;
        this.clock = clock;
        this.thread = new Thread(this::run, "mailer-console-last-hour");
        this.thread.setDaemon(true);
    }

    LastHourFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                follow();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("The console's last-hour counts lost the topics, retrying in {} s: {}", RETRY.toSeconds(),
                        e.getMessage());
                try {
                    closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void follow() {
        try (KafkaConsumer<byte[], byte[]> c = kafka.consumer()) {
            consumer = c;
            if (closed) {
                return;
            }
            counts.forgetAll();
            seekToAnHourAgo(c);
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    count(r);
                }
            }
        }
    }

    private void seekToAnHourAgo(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.status(), topics.dlq())) {
            c.partitionsFor(topic, kafka.timeout())
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        c.assign(partitions);
        long from = clock.instant().minus(LastHour.WINDOW).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query, kafka.timeout());
        List<TopicPartition> nothingThatRecent = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                nothingThatRecent.add(tp);
            } else {
                c.seek(tp, o.offset());
            }
        }
        c.seekToEnd(nothingThatRecent);
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(topics.dlq())) {
                DeadLetter d = DeadLetter.of(r);
                counts.deadLettered(d.tenant(), d.deadLetteredAt());
            } else if (r.value() != null) {
                StatusEvent s = StatusEventJson.parse(r.value());
                if (s.status() == Status.SENT || s.status() == Status.DRAFTED) {
                    counts.sent(s.tenant(), s.at());
                }
            }
        } catch (RuntimeException unreadable) {
            // Not a record the mailer wrote: nothing to count.
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
