package io.github.kafkamailer.it;

import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.MailerApp;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A mailer under test on the shared broker, with topic names and an application id of its own, and the
 * producer and consumers a test needs to talk to it as users do: through the topics.
 */
public final class MailerHarness implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    public final TopicNames topics;
    public final MailerMetrics metrics = MailerApp.prometheusMetrics();
    private final String appId;
    private final String bootstrap;
    private final Path stateDir;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
    private MailerApp app;
    private final Properties extra = new Properties();
    /** Why the mailer gave up, each time it did (in production the process would exit with status 1). */
    public final List<String> fatal = new java.util.concurrent.CopyOnWriteArrayList<>();

    public MailerHarness(Path stateDir) {
        this(stateDir, SharedBroker.bootstrapServers());
    }

    /** A second instance of {@code other}'s mailer: same topics and application id, its own state directory. */
    public MailerHarness(Path stateDir, MailerHarness other) {
        this.bootstrap = other.bootstrap;
        this.topics = other.topics;
        this.appId = other.appId;
        this.stateDir = stateDir;
        this.producer = newProducer(bootstrap);
    }

    /** A process setting for the next start, beside the harness's own (e.g. a shorter send deadline). */
    /** A mailer on a broker of the test's own, e.g. one the test stops and restarts. */
    public MailerHarness(Path stateDir, String bootstrapServers) {
        this.bootstrap = bootstrapServers;
        int n = SEQ.incrementAndGet();
        String prefix = "it" + n + "-" + UUID.randomUUID().toString().substring(0, 6) + ".";
        this.topics = new TopicNames(prefix + "mail.outbox", prefix + "mail.config", prefix + "mail.retry",
                prefix + "mail.dlq", prefix + "mail.status", prefix + "mail.templates", prefix + "mail.suppressions");
        this.appId = prefix + "mailer";
        this.stateDir = stateDir;
        this.producer = newProducer(bootstrap);
    }

    private static KafkaProducer<byte[], byte[]> newProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Not idempotent, one request in flight: ordered retries without producer sequence numbers. Kafka 4.4's
        // broker was seen rejecting an idempotent producer's retries forever (OUT_OF_ORDER_SEQUENCE_NUMBER) after
        // NOT_LEADER_OR_FOLLOWER on a partition created a moment before; the mailer drops duplicate ids anyway.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public ProcessSettings settings() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.setProperty(ProcessSettings.TOPIC_OUTBOX, topics.outbox());
        p.setProperty(ProcessSettings.TOPIC_CONFIG, topics.config());
        p.setProperty(ProcessSettings.TOPIC_RETRY, topics.retry());
        p.setProperty(ProcessSettings.TOPIC_DLQ, topics.dlq());
        p.setProperty(ProcessSettings.TOPIC_STATUS, topics.status());
        p.setProperty(io.github.kafkamailer.app.MailerSettings.TOPIC_SUPPRESSIONS, topics.suppressions());
        p.setProperty(ProcessSettings.TICK_MS, "100");
        p.setProperty(ProcessSettings.HTTP_PORT, "0");
        p.setProperty(ProcessSettings.SMTP_TIMEOUT_SECONDS, "5");
        p.putAll(extra);
        return ProcessSettings.of(p);
    }

    /** A process property of the test's own (e.g. the secret folders), set before {@link #start()}. */
    public MailerHarness withProperty(String key, String value) {
        extra.setProperty(key, value);
        return this;
    }

    public String bootstrapServers() {
        return bootstrap;
    }


    /** The process config of this mailer as a properties file, for a mailer started as its own process. */
    public Path writeProcessConfig(Path file) throws java.io.IOException {
        ProcessSettings s = settings();
        Properties p = new Properties();
        for (String k : List.of("bootstrap.servers", StreamsConfig.APPLICATION_ID_CONFIG,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, ProcessSettings.TOPIC_OUTBOX, ProcessSettings.TOPIC_CONFIG,
                ProcessSettings.TOPIC_RETRY, ProcessSettings.TOPIC_DLQ, ProcessSettings.TOPIC_STATUS,
                ProcessSettings.TICK_MS, ProcessSettings.SMTP_TIMEOUT_SECONDS, ProcessSettings.HTTP_PORT)) {
            p.setProperty(k, s.get(k, null));
        }
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            p.store(out, "process config of a mailer under test");
        }
        return file;
    }

    /** Publishes many emails without waiting for each acknowledgement. */
    public void publishEmails(List<String> ids, java.util.function.Function<String, String> json) {
        for (String id : ids) {
            producer.send(new ProducerRecord<>(topics.outbox(), id.getBytes(StandardCharsets.UTF_8),
                    json.apply(id).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    /** Starts the mailer and waits until its stream runs. */
    public MailerHarness start() throws InterruptedException {
        return start(MailerApp.defaultTransport(settings(), Clock.systemUTC()));
    }

    /** Starts the mailer with transports of the test's making (e.g. trusting a local HTTPS stand-in). */
    public MailerHarness start(io.github.kafkamailer.transport.MailTransport transport) throws InterruptedException {
        ProcessSettings s = settings();
        app = new MailerApp(s, metrics, Clock.systemUTC(), transport, fatal::add);
        app.start();
        await().atMost(60, TimeUnit.SECONDS).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
        return this;
    }

    public MailerApp app() {
        return app;
    }

    public void stop() {
        if (app != null) {
            app.close(Duration.ofSeconds(30));
            app = null;
        }
    }

    /** Creates the topics without starting the mailer, for tests that publish before the start. */
    public void createTopics() throws InterruptedException {
        try (Admin admin = admin()) {
            io.github.kafkamailer.app.TopicCreator.createMissing(admin,
                    io.github.kafkamailer.app.TopicsFile.load(topics), Duration.ofSeconds(30));
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    public void publishConfig(String tenant, String json) {
        send(topics.config(), tenant, json);
    }

    public void publishEmail(String id, String json) {
        send(topics.outbox(), id, json);
    }

    public void send(String topic, String key, String value) {
        send(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public void send(String topic, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** A consumer of {@code topic} from its beginning, reading committed records only. */
    public TopicReader reader(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        consumers.add(c);
        return new TopicReader(c);
    }

    /** Accumulates what a topic holds, polling as a test waits on it. */
    public static final class TopicReader {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

        TopicReader(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        public synchronized List<ConsumerRecord<byte[], byte[]>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return List.copyOf(records);
        }

        public List<StatusEvent> statuses() {
            return poll().stream().map(r -> StatusEventJson.parse(r.value())).toList();
        }
    }

    public static String config(int smtpPort, String extra) {
        return "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"smtpPort\":" + smtpPort
                + ",\"postmaster\":\"donotreply@company.example\",\"campaignIntervalSeconds\":1"
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    public static String email(String id, String extra) {
        return "{\"id\":\"" + id + "\",\"from\":\"alice@company.example\",\"to\":[\"bob@example.com\"],"
                + "\"subject\":\"Subject " + id + "\",\"text\":\"Body of " + id + "\""
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Override
    public void close() {
        stop();
        consumers.forEach(KafkaConsumer::close);
        producer.close(Duration.ofSeconds(5));
    }
}
