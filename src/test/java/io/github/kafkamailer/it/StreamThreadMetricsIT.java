package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series the MailerStreamThreadFailed alert reads, {@code kafka_stream_failed_stream_threads_total}, as
 * Micrometer's KafkaStreamsMetrics exports it (the mailer binds it the same way): present at 0 from the start,
 * so that {@code increase()} sees the first failure, and counting a thread that failed and was replaced
 * (REPLACE_THREAD, as the mailer answers) while the replacement keeps the client alive.
 */
class StreamThreadMetricsIT {
    @TempDir
    Path stateDir;

    @Test
    void shouldCountAReplacedStreamThread() throws Exception {
        String prefix = "threads-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = prefix + ".in";
        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }

        AtomicBoolean failOnce = new AtomicBoolean(true);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> {
            if ("poison".equals(v) && failOnce.getAndSet(false)) {
                throw new IllegalStateException("a record this thread can't process");
            }
        });
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "-app");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // The failed thread's consumer leaves the group without saying so: its partitions wait for the session
        // to time out (45 s by default) before the replacement gets them.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
             KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams)) {
            streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
            metrics.bindTo(registry);
            streams.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Scrape before = new Scrape(registry.scrape());
                assertThat(before.value("kafka_stream_failed_stream_threads_total")).isZero();
                assertThat(before.value("kafka_stream_alive_stream_threads")).isEqualTo(1.0);
            });

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "poison")).get();
            }

            long sent = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Scrape after = new Scrape(registry.scrape());
                assertThat(after.value("kafka_stream_failed_stream_threads_total")).isEqualTo(1.0);
                assertThat(after.value("kafka_stream_alive_stream_threads")).isEqualTo(1.0);
            });
            assertThat(failOnce).isFalse();
            System.out.printf("StreamThreadMetricsIT: failure counted, replacement alive after %d ms%n",
                    (System.nanoTime() - sent) / 1_000_000);
            long closing = System.nanoTime();
            boolean closed = streams.close(Duration.ofSeconds(30));
            System.out.printf("StreamThreadMetricsIT: closed=%s in %d ms%n", closed, (System.nanoTime() - closing) / 1_000_000);
        }
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }
}
