package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.TopicNames;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The headroom rule (issue 9, item 4) and where it lands: the producer, the internal topics, the declared topics. */
class RecordSizesTest {
    private static final String PRODUCER_MAX_REQUEST = StreamsConfig.producerPrefix("max.request.size");
    private static final String TOPIC_MAX_MESSAGE = StreamsConfig.topicPrefix("max.message.bytes");

    @Test
    void shouldAddTenPercentOr64KiBWhicheverIsLarger() {
        assertThat(RecordSizes.withHeadroom(100_000)).isEqualTo(100_000 + 65_536);
        assertThat(RecordSizes.withHeadroom(1_048_588)).isEqualTo(1_048_588 + 104_858);
        assertThat(RecordSizes.withHeadroom(2_097_152)).isEqualTo(2_097_152 + 209_715);
        assertThat(RecordSizes.withHeadroom(Integer.MAX_VALUE - 10)).isEqualTo(Integer.MAX_VALUE);
    }

    private static MailerApp app(Properties user) {
        user.setProperty("bootstrap.servers", "unused:9092");
        ProcessSettings s = ProcessSettings.of(user);
        return new MailerApp(s, MailerApp.prometheusMetrics(), Clock.systemUTC(),
                MailerApp.defaultTransport(s, Clock.systemUTC()));
    }

    @Test
    void shouldGiveTheProducerAndTheInternalTopicsTheLimit() {
        Properties p = app(new Properties()).streamsConfig(1_153_446);
        assertThat(p.getProperty(PRODUCER_MAX_REQUEST)).isEqualTo("1153446");
        assertThat(p.getProperty(TOPIC_MAX_MESSAGE)).isEqualTo("1153446");
    }

    @Test
    void shouldLeaveTheUsersOwnValuesAlone() {
        Properties plain = new Properties();
        plain.setProperty("max.request.size", "999");
        Properties p = app(plain).streamsConfig(1_153_446);
        assertThat(p.getProperty(PRODUCER_MAX_REQUEST)).as("Streams prefers a prefixed value over the user's").isNull();
        assertThat(p.getProperty("max.request.size")).isEqualTo("999");

        Properties prefixed = new Properties();
        prefixed.setProperty(PRODUCER_MAX_REQUEST, "888");
        prefixed.setProperty(TOPIC_MAX_MESSAGE, "777");
        Properties q = app(prefixed).streamsConfig(1_153_446);
        assertThat(q.getProperty(PRODUCER_MAX_REQUEST)).isEqualTo("888");
        assertThat(q.getProperty(TOPIC_MAX_MESSAGE)).isEqualTo("777");
    }

    @Test
    void shouldDeclareTheOutboxLimitAndDeriveTheRetryAndDeadLetterTopicsFromIt() {
        List<TopicSpec> specs = TopicsFile.load(TopicNames.defaults());
        int outbox = specs.stream().filter(s -> s.role().equals("outbox")).findFirst().orElseThrow().maxMessageBytes();
        assertThat(outbox).isEqualTo(2 * 1024 * 1024);
        assertThat(specs).filteredOn(s -> s.role().equals("retry") || s.role().equals("dlq"))
                .extracting(TopicSpec::maxMessageBytes).containsOnly(RecordSizes.withHeadroom(outbox));
    }
}
