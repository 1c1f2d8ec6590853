package io.github.kafkamailer.app;

import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.unsubscribe.SuppressionWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Writes the suppressions of one-click unsubscribes to the suppressions topic (key {@code TENANT/ADDRESS}, the
 * suppression record as JSON), with a plain idempotent producer of the app's connection settings, and waits for the
 * broker's acknowledgement, so that the HTTP answer says success only once the record is stored.
 */
final class KafkaSuppressionWriter implements SuppressionWriter, AutoCloseable {
    /** Within the HTTP request's deadline (10 s by default): a slower broker gets a 503, and the sender retries. */
    static final Duration TIMEOUT = Duration.ofSeconds(8);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    /** @param streamsConfig the app's Streams config: its connection and producer settings are taken */
    KafkaSuppressionWriter(Properties streamsConfig, String topic) {
        Properties p = KafkaHandoverPublisher.plainProducerProperties(streamsConfig);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, streamsConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "mailer")
                + "-unsubscribe");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void write(Suppression suppression) throws Exception {
        producer.send(new ProducerRecord<>(topic, suppression.key().getBytes(StandardCharsets.UTF_8),
                SuppressionJson.write(suppression))).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
