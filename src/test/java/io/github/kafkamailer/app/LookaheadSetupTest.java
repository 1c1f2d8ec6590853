package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The look-ahead's consumer is configured from the app's Streams config as Streams configures its own main consumer
 * (connection and security settings, prefixed ones winning), but never joins the group nor reads an aborted record.
 */
class LookaheadSetupTest {

    @Test
    void shouldTakeTheClientSettingsOfTheStreamsConfigWithThePrefixedOnesWinning() {
        Properties streams = new Properties();
        streams.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "mailer");
        streams.setProperty("bootstrap.servers", "broker:9093");
        streams.setProperty("security.protocol", "SASL_SSL");
        streams.setProperty("sasl.mechanism", "PLAIN");
        streams.setProperty("request.timeout.ms", "1000");
        streams.setProperty(StreamsConfig.consumerPrefix("request.timeout.ms"), "2000");
        streams.setProperty("receive.buffer.bytes", "1000");
        streams.setProperty(StreamsConfig.mainConsumerPrefix("receive.buffer.bytes"), "3000");
        // Other clients' settings are not the consumer's.
        streams.setProperty(StreamsConfig.restoreConsumerPrefix("fetch.max.wait.ms"), "50");
        streams.setProperty(StreamsConfig.producerPrefix("client.rack"), "producer-rack");
        streams.setProperty(StreamsConfig.globalConsumerPrefix("client.rack"), "global-rack");

        Properties p = LookaheadSetup.consumerProperties(streams, "mailer");

        assertThat(p).containsEntry("bootstrap.servers", "broker:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("request.timeout.ms", "2000")
                .containsEntry("receive.buffer.bytes", "3000")
                .doesNotContainKeys("fetch.max.wait.ms", "client.rack", StreamsConfig.APPLICATION_ID_CONFIG);
    }

    @Test
    void shouldNeverJoinTheGroupNorReadAbortedRecords() {
        Properties streams = new Properties();
        streams.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "mailer");
        streams.setProperty("bootstrap.servers", "broker:9093");
        streams.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_ID_CONFIG), "someone");
        streams.setProperty(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "me");
        streams.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_uncommitted");
        streams.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG), "true");

        Properties p = LookaheadSetup.consumerProperties(streams, "mailer");

        assertThat(p).doesNotContainKeys(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "mailer-high-lookahead");
    }
}
