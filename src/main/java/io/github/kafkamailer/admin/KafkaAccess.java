package io.github.kafkamailer.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of the admin tools, all bounded by one timeout so that a command never hangs on an
 * unreachable cluster: an admin client, a producer (durable, idempotent) and consumers that read without joining
 * a group. Each client gets only the properties it knows from the given ones (security settings included), so
 * a SASL/SSL cluster works the same for every command.
 */
public final class KafkaAccess {
    private final Properties props;
    private final Duration timeout;
    private final String bootstrap;
    /** The first contact must succeed within the timeout counted from here: loading the client classes counts. */
    private final long firstContactDeadline;
    private volatile boolean contacted;

    /**
     * @param kafkaClientProps {@code bootstrap.servers} and any client property (security, ...); others ignored
     * @param timeout          the longest any call waits for the cluster
     */
    public KafkaAccess(Properties kafkaClientProps, Duration timeout) {
        this(kafkaClientProps, timeout, System.nanoTime());
    }

    /**
     * @param startedAtNanos when the caller started ({@link System#nanoTime}): the first contact must succeed
     *                       within the timeout from then, so that a command's whole run stays within it
     */
    public KafkaAccess(Properties kafkaClientProps, Duration timeout, long startedAtNanos) {
        this.props = new Properties();
        this.props.putAll(kafkaClientProps);
        this.timeout = timeout;
        this.firstContactDeadline = startedAtNanos + timeout.toNanos();
        this.bootstrap = props.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is not set");
        }
    }

    public Duration timeout() {
        return timeout;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** The given properties that this kind of client knows. */
    private Properties only(Set<String> known) {
        Properties p = new Properties();
        for (String k : props.stringPropertyNames()) {
            if (known.contains(k)) {
                p.setProperty(k, props.getProperty(k));
            }
        }
        return p;
    }

    /**
     * How long the next call may wait: the whole timeout once the cluster has answered, else what is left of it
     * since this access was made, so that a command on an unreachable cluster ends within its timeout.
     */
    private Duration budget() {
        if (contacted) {
            return timeout;
        }
        return Duration.ofNanos(Math.max(Duration.ofMillis(200).toNanos(), firstContactDeadline - System.nanoTime()));
    }

    private String ms() {
        return Long.toString(Math.max(1, timeout.toMillis()));
    }

    public Admin admin() {
        Properties p = only(AdminClientConfig.configNames());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms());
        return Admin.create(p);
    }

    /** A consumer that never commits, never creates topics, and reads committed records only. */
    public KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = only(ConsumerConfig.configNames());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms());
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms());
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Durable (acks=all) and idempotent, blocking at most the timeout. */
    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = only(ProducerConfig.configNames());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, timeout.toMillis() / 2)));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void closeQuickly(KafkaConsumer<?, ?> consumer) {
        consumer.close(CloseOptions.timeout(Duration.ofMillis(200)));
    }

    /**
     * Checks that the cluster answers and the topic exists, with a message for a person when not: the producer
     * alone would wait and then blame the topic's metadata whatever the cause.
     */
    public void requireTopic(String topic) {
        ask((admin, budget) -> admin.describeTopics(List.of(topic),
                new DescribeTopicsOptions().timeoutMs((int) budget.toMillis())).allTopicNames(),
                cause -> cause instanceof UnknownTopicOrPartitionException ? missing(topic)
                        : new IllegalStateException("Kafka at " + bootstrap + " refused to describe " + topic + ": "
                        + cause.getMessage(), cause));
    }

    /** Checks that the cluster answers within the timeout. */
    public void requireCluster() {
        ask((admin, budget) -> admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions()
                        .timeoutMs((int) budget.toMillis())).clusterId(),
                cause -> new IllegalStateException("Kafka at " + bootstrap + " refused the connection: "
                        + cause.getMessage(), cause));
    }

    /**
     * One admin request within what is left of the timeout: no answer in time is {@link KafkaUnreachableException},
     * any other failure what {@code refused} makes of its cause.
     */
    private void ask(java.util.function.BiFunction<Admin, Duration, KafkaFuture<?>> request,
                     java.util.function.Function<Throwable, RuntimeException> refused) {
        try (Admin admin = admin()) {
            try {
                Duration budget = budget();
                request.apply(admin, budget).get(budget.toMillis() + 500, TimeUnit.MILLISECONDS);
                contacted = true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw new KafkaUnreachableException(bootstrap, timeout, e.getCause());
                }
                throw refused.apply(e.getCause());
            } catch (TimeoutException e) {
                throw new KafkaUnreachableException(bootstrap, timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                admin.close(Duration.ZERO);
            }
        }
    }

    private TopicMissingException missing(String topic) {
        return new TopicMissingException(topic, bootstrap);
    }

    /** Publishes one record and waits for its acknowledgement. */
    public RecordMetadata publish(String topic, byte[] key, byte[] value) {
        requireTopic(topic);
        KafkaProducer<byte[], byte[]> producer = producer();
        try {
            return producer.send(new ProducerRecord<>(topic, key, value))
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic + " at " + bootstrap + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(bootstrap, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            producer.close(Duration.ofMillis(500));
        }
    }

    /**
     * Publishes {@code count} records with one producer, telling {@code progress} how many are acknowledged so
     * far; returns once all are, or throws on the first failure (earlier ones stay published).
     */
    public void publishAll(String topic, int count, IntFunction<byte[]> key, IntFunction<byte[]> value,
                           java.util.function.IntConsumer progress) {
        if (count == 0) {
            return;
        }
        requireTopic(topic);
        AtomicInteger acked = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < count && failure.get() == null; i++) {
                producer.send(new ProducerRecord<>(topic, key.apply(i), value.apply(i)), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        progress.accept(acked.incrementAndGet());
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("cannot publish to " + topic + " after " + acked.get() + " record(s): "
                    + failure.get().getMessage(), failure.get());
        }
    }

    /** Every partition of {@code topic}; unreachable cluster and missing topic reported as such. */
    List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, budget());
            contacted = true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnreachableException(bootstrap, timeout, e);
        } catch (UnknownTopicOrPartitionException e) {
            throw missing(topic);
        }
        if (infos == null || infos.isEmpty()) {
            throw missing(topic);
        }
        List<TopicPartition> out = new ArrayList<>();
        infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
        out.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
        return out;
    }

    Map<TopicPartition, Long> endOffsets(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        try {
            return new HashMap<>(consumer.endOffsets(partitions, timeout));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnreachableException(bootstrap, timeout, e);
        }
    }

    /**
     * The first offset of each partition whose record is at or after {@code since}; the end offset where none
     * is (nothing that recent).
     */
    Map<TopicPartition, Long> offsetsSince(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                           java.time.Instant since, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> found;
        try {
            found = consumer.offsetsForTimes(query, timeout);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnreachableException(bootstrap, timeout, e);
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            var o = found.get(tp);
            out.put(tp, o == null ? end.get(tp) : o.offset());
        }
        return out;
    }

    /**
     * A compacted topic replayed to its end, as the mailer reads it as a table: per key, the last value
     * {@code parse} accepts (a record it throws for leaves what was in force, as the mailer ignores it too); a
     * tombstone removes the key. Sorted by key.
     */
    <T> Map<String, T> latestValid(String topic, java.util.function.BiFunction<String, byte[], T> parse) {
        Map<String, T> inForce = new java.util.TreeMap<>();
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        try {
            List<TopicPartition> partitions = partitions(consumer, topic);
            scan(consumer, partitions, null, endOffsets(consumer, partitions), r -> {
                if (r.key() == null) {
                    return;
                }
                String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (r.value() == null) {
                    inForce.remove(key);
                    return;
                }
                try {
                    inForce.put(key, parse.apply(key, r.value()));
                } catch (RuntimeException ignored) {
                    // Rejected by the mailer too: whatever was in force for the key stays.
                }
            });
        } finally {
            closeQuickly(consumer);
        }
        return inForce;
    }

    /**
     * Reads the assigned partitions from {@code start} (their beginning when null) up to {@code end}, handing
     * each record to {@code each} and keeping none. The timeout bounds a wait without progress, not the whole
     * read, so a long topic is read to its end.
     */
    void scan(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> start,
              Map<TopicPartition, Long> end, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        List<TopicPartition> toRead = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long from = start == null ? 0 : start.get(tp);
            if (end.get(tp) > from) {
                toRead.add(tp);
            }
        }
        consumer.assign(toRead);
        if (toRead.isEmpty()) {
            return;
        }
        if (start == null) {
            consumer.seekToBeginning(toRead);
        } else {
            toRead.forEach(tp -> consumer.seek(tp, start.get(tp)));
        }
        long lastProgress = System.nanoTime();
        while (true) {
            List<TopicPartition> done = new ArrayList<>();
            for (TopicPartition tp : consumer.assignment()) {
                if (position(consumer, tp) >= end.get(tp)) {
                    done.add(tp);
                }
            }
            if (!done.isEmpty()) {
                List<TopicPartition> rest = new ArrayList<>(consumer.assignment());
                rest.removeAll(done);
                consumer.assign(rest);
                if (rest.isEmpty()) {
                    return;
                }
            }
            var records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                throw new KafkaUnreachableException(bootstrap, timeout, null);
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    each.accept(r);
                }
            }
        }
    }

    private long position(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
        try {
            return consumer.position(tp, timeout);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnreachableException(bootstrap, timeout, e);
        }
    }

    /** The partition the default partitioner gives {@code key} (Kafka's murmur2, as producers and Streams use). */
    static int partitionOf(byte[] key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key))
                % partitions;
    }
}
