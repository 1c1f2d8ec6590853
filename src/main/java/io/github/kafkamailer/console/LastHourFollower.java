package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.DeadLetterAdmin;
import io.github.kafkamailer.admin.DeadLetterFilter;
import io.github.kafkamailer.admin.KafkaAccess;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link LastHour} from the topics, so the overview counts what every instance did, not only this one:
 * sent and drafted emails from the status topic, and dead letters from the dead-letter topic (every kind, the
 * invalid events included, under the tenant the dead letters page shows). Both are read from an hour ago on,
 * without a consumer group, each on a daemon thread; a record that can't be read is skipped, and a lost
 * connection is retried.
 */
final class LastHourFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LastHourFollower.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final KafkaAccess kafka;
    private final DeadLetterAdmin deadLetters;
    private final TopicNames topics;
    private final LastHour counts;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    private volatile KafkaConsumer<byte[], byte[]> statusConsumer;
    private volatile boolean closed;
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    LastHourFollower(KafkaAccess kafka, DeadLetterAdmin deadLetters, TopicNames topics, LastHour counts, Clock clock) {
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.topics = topics;
        this.counts = counts;
        this.clock = clock;
    }

    LastHourFollower start() {
        threads.add(daemon("mailer-console-sent", this::followStatuses));
        threads.add(daemon("mailer-console-dead-letters", this::followDeadLetters));
        threads.forEach(Thread::start);
        return this;
    }

    private Thread daemon(String name, Runnable loop) {
        Thread t = new Thread(() -> {
            while (!closed) {
                try {
                    loop.run();
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    LOG.warn("The console's last-hour counts ({}) lost the topics, retrying in {} s: {}", name,
                            RETRY.toSeconds(), e.getMessage());
                    try {
                        closing.await(RETRY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private void followDeadLetters() {
        // Counted afresh on each (re)start, so a retry does not count a letter twice.
        counts.forgetDeadLetters();
        deadLetters.follow(new DeadLetterFilter(null, null, clock.instant().minus(LastHour.WINDOW), 100_000),
                d -> counts.deadLettered(d.tenant(), d.deadLetteredAt()), () -> !closed);
    }

    private void followStatuses() {
        counts.forgetSent();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer()) {
            statusConsumer = consumer;
            if (closed) {
                return;
            }
            seekToAnHourAgo(consumer);
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    countSent(r);
                }
            }
        }
    }

    private void seekToAnHourAgo(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topics.status(), kafka.timeout())
                .forEach(info -> partitions.add(new TopicPartition(topics.status(), info.partition())));
        consumer.assign(partitions);
        long from = clock.instant().minus(LastHour.WINDOW).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, kafka.timeout());
        List<TopicPartition> nothingThatRecent = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                nothingThatRecent.add(tp);
            } else {
                consumer.seek(tp, o.offset());
            }
        }
        consumer.seekToEnd(nothingThatRecent);
    }

    private void countSent(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            StatusEvent s = StatusEventJson.parse(r.value());
            if (s.status() == Status.SENT || s.status() == Status.DRAFTED) {
                counts.sent(s.tenant(), s.at());
            }
        } catch (RuntimeException unreadable) {
            // Not a status the mailer wrote: nothing to count.
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        KafkaConsumer<byte[], byte[]> c = statusConsumer;
        if (c != null) {
            c.wakeup();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
