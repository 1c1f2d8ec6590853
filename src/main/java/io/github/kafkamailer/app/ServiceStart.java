package io.github.kafkamailer.app;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the mailer service started: what {@code skipPendingOnStart} compares an email's arrival on the outbox with.
 * "At the starting" means the start of the service (the first instance of the application id to run after a full
 * stop), never a task moving to another instance: emails pending on an instance that stopped while others run
 * are sent by the one that takes them over.
 *
 * <p>At its start, before it joins, an instance asks whether the Streams application's consumer group (its id is
 * {@code application.id}) has members. None: the service starts now; the instance writes that instant to a
 * compacted topic of one partition, {@code <application.id>-service-start}, before it joins the group. Some: it
 * joins a running service and reads the instant the first instance wrote. A topic rather than a per-task store:
 * the instance that takes a task over may not be one that ran it since the service started (a task can go
 * straight from a previous run of the service to a joining instance), so only a value shared by the whole
 * service says when it started. The topic's name starts with the application id, as Streams' internal topics do,
 * so the same ACLs cover it.
 *
 * <p>When in doubt it skips nothing ({@link Instant#MIN}): a wrongly skipped email is lost, a wrongly sent one is
 * what the tenant would get without the option. That covers a group that still lists the members of instances
 * that crashed (until their session times out, 45 s by default; a graceful stop leaves the group at once), a
 * running service of a mailer too old to write the instant, and a broker that refuses the describe or the topic.
 */
final class ServiceStart {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStart.class);
    private static final byte[] KEY = "service-start".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private ServiceStart() {
    }

    static String topic(String applicationId) {
        return applicationId + "-service-start";
    }

    /**
     * {@link #determine} on a thread of its own, so that the start goes on beside it (creating and checking the
     * topics); {@link #await} its answer before Kafka Streams joins the group.
     */
    static java.util.concurrent.Future<Instant> determineBeside(Admin admin, String applicationId, Properties kafka,
                                                                 Clock clock, Duration timeout) {
        java.util.concurrent.FutureTask<Instant> task = new java.util.concurrent.FutureTask<>(
                () -> determine(admin, applicationId, kafka, clock, timeout));
        Thread t = new Thread(task, "mailer-service-start");
        t.setDaemon(true);
        t.start();
        return task;
    }

    /** The answer of {@link #determineBeside}: when the service started, or {@link Instant#MIN} (skip nothing). */
    static Instant await(java.util.concurrent.Future<Instant> later) throws InterruptedException {
        try {
            return later.get();
        } catch (ExecutionException e) {
            // determine answers for every failure it expects; anything else is a bug, and skipping nothing is safe.
            LOG.warn("Cannot tell when the mailer service started ({}): skipPendingOnStart skips nothing on this"
                    + " instance", why(e));
            return Instant.MIN;
        }
    }

    /** @param kafka the process's client settings (bootstrap, security), of which each client takes its own */
    static Instant determine(Admin admin, String applicationId, Properties kafka, Clock clock, Duration timeout)
            throws InterruptedException {
        String topic = topic(applicationId);
        boolean running;
        try {
            running = groupHasMembers(admin, applicationId, timeout);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Cannot tell whether other instances of '{}' run ({}): skipPendingOnStart skips nothing on this"
                    + " instance", applicationId, why(e));
            return Instant.MIN;
        }
        try {
            createIfMissing(admin, topic, timeout);
            if (!running) {
                Instant now = clock.instant();
                write(kafka, topic, now, timeout);
                LOG.info("First instance of '{}': the mailer service starts at {} (skipPendingOnStart skips the emails"
                        + " that reached the outbox before)", applicationId, now);
                return now;
            }
            Optional<Instant> started = read(kafka, topic, timeout);
            if (started.isEmpty()) {
                LOG.info("Joins a running mailer service '{}' that did not say when it started: skipPendingOnStart"
                        + " skips nothing on this instance", applicationId);
                return Instant.MIN;
            }
            LOG.info("Joins the running mailer service '{}', started at {}", applicationId, started.get());
            return started.get();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Instant fallback = running ? Instant.MIN : clock.instant();
            LOG.warn("Cannot keep the service's start in {} ({}): skipPendingOnStart compares with {} on this"
                    + " instance", topic, why(e), running ? "nothing (skips nothing)" : fallback);
            return fallback;
        }
    }

    private static boolean groupHasMembers(Admin admin, String group, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return !d.members().isEmpty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    private static void createIfMissing(Admin admin, String topic, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(t)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void write(Properties kafka, String topic, Instant at, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        Properties p = only(kafka, ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, KEY, ByteBuffer.allocate(8).putLong(at.toEpochMilli()).array()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The last instant written, reading the one partition to its end. */
    private static Optional<Instant> read(Properties kafka, String topic, Duration timeout) {
        Properties p = only(kafka, ConsumerConfig.configNames());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            long deadline = System.nanoTime() + timeout.toNanos();
            Instant last = null;
            while (consumer.position(tp, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("reading " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && r.value().length == 8) {
                        last = Instant.ofEpochMilli(ByteBuffer.wrap(r.value()).getLong());
                    }
                }
            }
            return Optional.ofNullable(last);
        }
    }

    /** The root cause's type and message: what Kafka's clients say of a refusal or a timeout, never a secret. */
    private static String why(Throwable e) {
        Throwable root = io.github.kafkamailer.failure.Causes.root(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static Properties only(Properties all, java.util.Set<String> names) {
        Properties p = new Properties();
        for (String k : all.stringPropertyNames()) {
            if (names.contains(k)) {
                p.setProperty(k, all.getProperty(k));
            }
        }
        return p;
    }
}
