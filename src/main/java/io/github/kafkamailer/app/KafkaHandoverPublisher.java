package io.github.kafkamailer.app;

import io.github.kafkamailer.topology.HandoverPublisher;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one producer of handovers: plain (not Kafka Streams' transactional one, whose task is committed
 * already when the handovers are written) and idempotent, with the Streams producer's connection settings and
 * record limit. A handover that fails is logged; the next owner then sends that email again once it waited.
 */
final class KafkaHandoverPublisher implements HandoverPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHandoverPublisher.class);
    /** A handover later than this is of no use: the next owner stops waiting a minute after the task started. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;

    /** @param streamsConfig the app's Streams config: its connection and producer settings are taken */
    KafkaHandoverPublisher(Properties streamsConfig) {
        Properties p = plainProducerProperties(streamsConfig);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DELIVERY_TIMEOUT.toMillis()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, streamsConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "mailer")
                + "-handover");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A plain producer's settings from the app's Streams config: the client settings (bootstrap, security), then the
     * producer-prefixed ones, which win as in Streams; no transactional id.
     */
    static Properties plainProducerProperties(Properties streamsConfig) {
        Properties p = new Properties();
        for (String k : streamsConfig.stringPropertyNames()) {
            if (ProducerConfig.configNames().contains(k)) {
                p.setProperty(k, streamsConfig.getProperty(k));
            }
        }
        for (String k : streamsConfig.stringPropertyNames()) {
            String plain = k.substring(Math.min(k.length(), StreamsConfig.PRODUCER_PREFIX.length()));
            if (k.startsWith(StreamsConfig.PRODUCER_PREFIX) && ProducerConfig.configNames().contains(plain)) {
                p.setProperty(plain, streamsConfig.getProperty(k));
            }
        }
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return p;
    }

    @Override
    public void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record, (meta, e) -> {
                if (e != null) {
                    LOG.warn("A handover to {}-{} failed; its email is sent again by the task's next owner: {}",
                            record.topic(), record.partition(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("A handover to {}-{} could not be sent; its email is sent again by the task's next owner: {}",
                    record.topic(), record.partition(), e.toString());
        }
    }

    @Override
    public void flush() {
        try {
            producer.flush();
        } catch (RuntimeException e) {
            LOG.warn("Flushing the handovers failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
