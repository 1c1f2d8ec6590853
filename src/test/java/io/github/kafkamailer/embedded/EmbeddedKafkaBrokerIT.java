package io.github.kafkamailer.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves the in-process broker is good enough for the mailer's integration tests: plain and
 * transactional writes, group reads, clients that live through a broker restart, and an
 * {@code exactly_once_v2} Streams app.
 */
class EmbeddedKafkaBrokerIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerIT.class);
    private static final String TOPIC = "broker-it";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void servesPlainAndTransactionalClientsAcrossARestart() throws Exception {
        long t0 = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir);
        try {
            long started = System.nanoTime();
            String bootstrap = broker.bootstrapServers();
            assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(broker.isRunning()).isTrue();
            assertThat(Files.exists(dataDir.resolve("meta.properties"))).isTrue();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap, null));
                    KafkaProducer<String, String> txProducer =
                            new KafkaProducer<>(producerConfig(bootstrap, "broker-it-tx"));
                    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap))) {
                consumer.subscribe(List.of(TOPIC));
                List<String> seen = new ArrayList<>();

                producer.send(new ProducerRecord<>(TOPIC, "k1", "plain-1")).get(30, TimeUnit.SECONDS);
                awaitValues(consumer, seen, "plain-1");

                txProducer.initTransactions();
                sendInTransaction(txProducer, "tx-1");
                awaitValues(consumer, seen, "plain-1", "tx-1");

                long stopAt = System.nanoTime();
                broker.stop();
                long stopped = System.nanoTime();
                assertThat(broker.isRunning()).isFalse();
                assertThat(accepts(bootstrap)).isFalse();

                broker.restart();
                long restarted = System.nanoTime();
                assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);

                // The same clients carry on: they only ever knew the bootstrap address.
                producer.send(new ProducerRecord<>(TOPIC, "k2", "plain-2")).get(60, TimeUnit.SECONDS);
                sendInTransaction(txProducer, "tx-2");
                awaitValues(consumer, seen, "plain-1", "tx-1", "plain-2", "tx-2");

                LOG.info("embedded broker: start {} ms, stop {} ms, restart {} ms",
                        millis(t0, started), millis(stopAt, stopped), millis(stopped, restarted));
            }
        } finally {
            broker.close();
        }
        broker.close(); // idempotent
        assertThat(broker.isRunning()).isFalse();

        // The caller owns the directory: closing keeps the data, and a new broker (new ports)
        // reuses it without formatting it again.
        long reopenAt = System.nanoTime();
        try (EmbeddedKafkaBroker reopened = EmbeddedKafkaBroker.start(dataDir);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        reopened.bootstrapServers()))) {
            LOG.info("embedded broker: start on existing data {} ms", millis(reopenAt, System.nanoTime()));
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
        }
    }

    @Test
    void runsAnExactlyOnceV2StreamsApp(@TempDir Path stateDir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            admin.createTopics(List.of(new NewTopic("eos-in", 1, (short) 1), new NewTopic("eos-out", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);

            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("eos-in", Consumed.with(Serdes.String(), Serdes.String()))
                    .mapValues(v -> v.toUpperCase(Locale.ROOT))
                    .to("eos-out", Produced.with(Serdes.String(), Serdes.String()));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "broker-it-eos");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

            try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
                    KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap, null));
                    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap))) {
                streams.start();
                await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
                producer.send(new ProducerRecord<>("eos-in", "k", "hello")).get(30, TimeUnit.SECONDS);
                consumer.subscribe(List.of("eos-out"));
                awaitValues(consumer, new ArrayList<>(), "HELLO");
            }
        }
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "tx", value));
        producer.commitTransaction();
    }

    private static void awaitValues(KafkaConsumer<String, String> consumer, List<String> seen, String... expected) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r.value());
            }
            return seen.size() >= expected.length;
        });
        assertThat(seen).containsExactly(expected);
    }

    private static boolean accepts(String hostPort) {
        String[] parts = hostPort.split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, Object> producerConfig(String bootstrap, String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return config;
    }

    private static Map<String, Object> consumerConfig(String bootstrap) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "broker-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
