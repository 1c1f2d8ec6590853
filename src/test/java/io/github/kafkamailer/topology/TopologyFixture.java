package io.github.kafkamailer.topology;

import io.github.kafkamailer.app.EnvironmentSecrets;
import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.transport.MailTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The mailer's topology in a {@link TopologyTestDriver}, exactly-once, with the topics the topology tests feed and
 * read: the outbox (records stamped at the start, no auto-advance), tenant configs, the retry topic both ways
 * (what the mailer wrote, and a way to feed it back as the broker would), dead letters and statuses.
 */
final class TopologyFixture implements AutoCloseable {
    static final String APPLICATION_ID = "mailer-test";

    final Topology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> outbox;
    final TestInputTopic<String, String> config;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestOutputTopic<byte[], byte[]> status;
    final TestOutputTopic<byte[], byte[]> retryOut;
    final TestInputTopic<byte[], byte[]> retryIn;

    /**
     * Builds the topology with a one-second tick and starts the driver at {@code start}. {@code extra} Streams
     * properties go on top of the base ones (application id, bootstrap, state dir, exactly-once v2).
     */
    TopologyFixture(TopicNames topics, MailerMetrics metrics, SendingSettings settings,
                    SecretReferences.Resolver secrets, Path stateDir, Instant start, Properties extra) {
        this(topics, metrics, settings, secrets, stateDir, start, extra, new TemplateTable());
    }

    /** As above, the templates in force kept in {@code templates}, the table the test's sending renders with. */
    TopologyFixture(TopicNames topics, MailerMetrics metrics, SendingSettings settings,
                    SecretReferences.Resolver secrets, Path stateDir, Instant start, Properties extra,
                    TemplateTable templates) {
        MailerTopology mailer = new MailerTopology(topics, metrics, ConfigListener.NONE, settings,
                Duration.ofSeconds(1), secrets).withTemplates(templates);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putAll(extra);
        topology = mailer.build(p);
        driver = new TopologyTestDriver(topology, p, start);
        outbox = driver.createInputTopic(topics.outbox(), new ByteArraySerializer(), new ByteArraySerializer(),
                start, Duration.ZERO);
        config = driver.createInputTopic(topics.config(), new StringSerializer(), new StringSerializer());
        dlq = driver.createOutputTopic(topics.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        status = driver.createOutputTopic(topics.status(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        retryOut = driver.createOutputTopic(topics.retry(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        retryIn = driver.createInputTopic(topics.retry(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * The fixture most topology tests use: {@link #inlineSending} through {@code transport}, no secrets in the
     * environment, and the global stores' processing exception handler on ({@link #withGlobalProcessingHandler}).
     */
    static TopologyFixture inline(MailTransport transport, TopicNames topics, MailerMetrics metrics, Path stateDir,
                                  Instant start) {
        return inline(transport, topics, metrics, stateDir, start, Map.of(), withGlobalProcessingHandler());
    }

    /**
     * {@link #inlineSending} through {@code transport}, secret references resolved from {@code env} and files below
     * the state dir ({@link #secrets}), and {@code extra} Streams properties (none are added for you).
     */
    static TopologyFixture inline(MailTransport transport, TopicNames topics, MailerMetrics metrics, Path stateDir,
                                  Instant start, Map<String, String> env, Properties extra) {
        return new TopologyFixture(topics, metrics, inlineSending(transport, topics, metrics, start),
                secrets(stateDir, env), stateDir, start, extra);
    }

    /**
     * Sending on the calling thread through {@code transport}: the system clock, the mailer started at
     * {@code start}, retry jitter at its middle (0.5), batches of 100.
     */
    static SendingSettings inlineSending(MailTransport transport, TopicNames topics, MailerMetrics metrics,
                                         Instant start) {
        return InlineSending.settings(transport, topics, metrics, Clock.systemUTC(), start,
                new RetryPolicy(() -> 0.5), 100);
    }

    /** Secret references resolved as the app does: {@code MAILER_} variables of {@code env}, files under stateDir. */
    static SecretReferences.Resolver secrets(Path stateDir, Map<String, String> env) {
        return new EnvironmentSecrets(env, List.of(stateDir), "MAILER_");
    }

    /** Streams properties turning on the processing exception handler for global stores, as the app does. */
    static Properties withGlobalProcessingHandler() {
        Properties p = new Properties();
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        return p;
    }

    /** A tenant config that sends over SMTP every 20 seconds; {@code extra} fields (JSON members) are appended. */
    static String tenantConfig(String extra) {
        return "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"postmaster\":\"noreply@example.com\","
                + "\"campaignIntervalSeconds\":20" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** A plain one-recipient email of {@code tenant}, subject "Hello {@code id}". */
    static String email(String id, String tenant) {
        return "{\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"from\":\"alice@example.com\","
                + "\"to\":[\"bob@example.com\"],\"subject\":\"Hello " + id + "\",\"text\":\"Hi\"}";
    }

    @Override
    public void close() {
        driver.close();
    }
}
