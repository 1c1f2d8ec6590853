package io.github.kafkamailer.app;

import io.github.kafkamailer.topology.HighInbox;
import io.github.kafkamailer.topology.HighLookahead;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Builds the read ahead of the intake ({@link HighLookahead}) from the app's Streams config (connection and
 * security settings as the Streams clients have them), the running Streams instance (which outbox partitions its
 * intake reads here) and the admin client (where that intake is).
 */
public final class LookaheadSetup {
    private LookaheadSetup() {
    }

    static HighLookahead start(Properties streamsConfig, String outbox, KafkaStreams streams, Admin admin,
                               Clock clock, HighInbox inbox) {
        String applicationId = streamsConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Properties p = KafkaHandoverPublisher.plainProducerProperties(streamsConfig);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-high-lookahead");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(streamsConfig, applicationId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new HighLookahead(consumer, producer, outbox, applicationId, ownedPartitions(streams, outbox),
                partitions -> committed(admin, applicationId, partitions), clock, inbox).start("mailer-high-lookahead");
    }

    /**
     * A plain consumer's settings: the client settings of the Streams config, then its {@code consumer.} and
     * {@code main.consumer.} ones, which win as in Streams; no group (it never joins nor commits), read committed
     * (an aborted record is never an email); fetches of the default size, so the first records of a burst
     * come back soon. Public for the look-ahead's tests,
     * which build its consumer as the mailer does.
     */
    public static Properties consumerProperties(Properties streamsConfig, String applicationId) {
        Properties p = new Properties();
        for (String prefix : new String[] {"", StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX}) {
            for (String k : streamsConfig.stringPropertyNames()) {
                if (!k.startsWith(prefix)) {
                    continue;
                }
                // A prefixed key read without its prefix is no consumer setting: only the prefix it has counts.
                String plain = k.substring(prefix.length());
                if (ConsumerConfig.configNames().contains(plain)) {
                    p.setProperty(plain, streamsConfig.getProperty(k));
                }
            }
        }
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-high-lookahead");
        return p;
    }

    /** The outbox partitions whose intake task runs in this process; none while Streams isn't running. */
    static Supplier<Set<Integer>> ownedPartitions(KafkaStreams streams, String outbox) {
        return () -> {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                return Set.of();
            }
            Set<Integer> owned = new HashSet<>();
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    for (TopicPartition tp : task.topicPartitions()) {
                        if (tp.topic().equals(outbox)) {
                            owned.add(tp.partition());
                        }
                    }
                }
            }
            return owned;
        };
    }

    /** The application's committed offsets of {@code partitions}: where its intake reads next. */
    static Map<TopicPartition, Long> committed(Admin admin, String groupId, Set<TopicPartition> partitions)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata m = all.get(tp);
            if (m != null) {
                out.put(tp, m.offset());
            }
        }
        return out;
    }
}
