package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka client settings the mailer chooses for Streams, and the user's own that win over them. */
class StreamsTuningTest {
    private static final String RESTORE_WAIT = StreamsConfig.restoreConsumerPrefix("fetch.max.wait.ms");
    private static final String PRODUCER_BATCH = StreamsConfig.producerPrefix("batch.size");

    private static Properties streamsConfig(Properties user) {
        user.setProperty("bootstrap.servers", "unused:9092");
        ProcessSettings s = ProcessSettings.of(user);
        return new MailerApp(s, MailerApp.prometheusMetrics(), Clock.systemUTC(),
                MailerApp.defaultTransport(s, Clock.systemUTC())).streamsConfig(1_153_446);
    }

    @Test
    void shouldLetTheRestoreConsumerWaitLittleAndTheProducerBatchMore() {
        Properties p = streamsConfig(new Properties());
        assertThat(p.getProperty(RESTORE_WAIT)).isEqualTo(Integer.toString(MailerApp.RESTORE_FETCH_MAX_WAIT_MS));
        assertThat(p.getProperty(PRODUCER_BATCH)).isEqualTo(Integer.toString(MailerApp.PRODUCER_BATCH_BYTES));
    }

    @Test
    void shouldLeaveTheUsersPlainValuesInForce() {
        // Streams prefers a prefixed value over a plain one: setting ours would override the user's.
        Properties user = new Properties();
        user.setProperty("fetch.max.wait.ms", "300");
        user.setProperty("batch.size", "32768");
        Properties p = streamsConfig(user);
        assertThat(p.getProperty(RESTORE_WAIT)).isNull();
        assertThat(p.getProperty(PRODUCER_BATCH)).isNull();
        assertThat(p.getProperty("fetch.max.wait.ms")).isEqualTo("300");
        assertThat(p.getProperty("batch.size")).isEqualTo("32768");
    }

    @Test
    void shouldLeaveTheUsersPrefixedValuesInForce() {
        Properties user = new Properties();
        user.setProperty(RESTORE_WAIT, "400");
        user.setProperty(PRODUCER_BATCH, "65536");
        Properties p = streamsConfig(user);
        assertThat(p.getProperty(RESTORE_WAIT)).isEqualTo("400");
        assertThat(p.getProperty(PRODUCER_BATCH)).isEqualTo("65536");
    }
}
