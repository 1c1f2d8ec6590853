package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.Unsubscribe;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.unsubscribe.UnsubscribeLinks;
import io.github.kafkamailer.unsubscribe.UnsubscribeTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An email's {@code unsubscribe} survives the way through the engine: the pending store, the retry topic and back;
 * the mailer's own link is made at each attempt and never stored.
 */
class UnsubscribeTopologyTest {
    private static final Instant START = Instant.parse("2026-12-05T09:00:00Z");
    private static final String BASE = "https://mail.example.com";

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final UnsubscribeTokens tokens = new UnsubscribeTokens("a key of at least thirty-two bytes!!");
    private TopologyFixture fixture;

    private void start(MailTransport sending) {
        fixture = TopologyFixture.inline(sending, topics, metrics, stateDir, START);
        fixture.config.pipeInput("default", TopologyFixture.tenantConfig(""));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void publish(String id, String json) {
        fixture.outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Moves the wall clock; the retry topic's records come back in, as the broker would bring them. */
    private List<TestRecord<byte[], byte[]>> tick(Duration d) {
        fixture.driver.advanceWallClockTime(d);
        List<TestRecord<byte[], byte[]>> retried = new java.util.ArrayList<>();
        while (!fixture.retryOut.isEmpty()) {
            TestRecord<byte[], byte[]> r = fixture.retryOut.readRecord();
            fixture.retryIn.pipeInput(r);
            retried.add(r);
        }
        return retried;
    }

    private static String withUnsubscribe(String id, String unsubscribe) {
        String json = TopologyFixture.email(id, "default");
        return json.substring(0, json.length() - 1) + ",\"unsubscribe\":" + unsubscribe + "}";
    }

    @Test
    void shouldSendARetriedEmailWithItsUnsubscribeUrl() {
        start(transport);
        transport.failTransiently();
        publish("u1", withUnsubscribe("u1", "{\"url\":\"https://lists.example.com/leave/u1\"}"));

        List<TestRecord<byte[], byte[]>> retried = tick(Duration.ofSeconds(1));
        assertThat(retried).singleElement().satisfies(r -> assertThat(EmailEventJson.parse(r.value()).unsubscribe())
                .isEqualTo(Unsubscribe.at("https://lists.example.com/leave/u1")));
        transport.deliver();
        tick(Duration.ofSeconds(21));

        assertThat(transport.sent).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("u1");
            assertThat(e.unsubscribe()).isEqualTo(Unsubscribe.at("https://lists.example.com/leave/u1"));
        });
    }

    @Test
    void shouldMakeTheMailersOwnLinkAtTheRetryAndKeepTrueOnTheRetryTopic() {
        start(UnsubscribeLinks.around(transport, BASE, tokens));
        transport.failTransiently();
        publish("u2", withUnsubscribe("u2", "true"));

        List<TestRecord<byte[], byte[]>> retried = tick(Duration.ofSeconds(1));
        assertThat(retried).singleElement().satisfies(r -> {
            assertThat(EmailEventJson.parse(r.value()).unsubscribe()).isEqualTo(Unsubscribe.mailersOwn());
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("/unsubscribe/");
        });
        transport.deliver();
        tick(Duration.ofSeconds(21));

        assertThat(transport.sent).singleElement().satisfies(e -> {
            String url = e.unsubscribe().url();
            assertThat(url).startsWith(BASE + "/unsubscribe/");
            assertThat(tokens.read(url.substring((BASE + "/unsubscribe/").length())))
                    .contains(new UnsubscribeTokens.Recipient("default", "bob@example.com"));
        });
    }

    @Test
    void shouldDeadLetterTrueAsInvalidWhenTheMailerHasNoLinks() {
        start(UnsubscribeLinks.around(transport, null, null));
        publish("u3", withUnsubscribe("u3", "true"));

        tick(Duration.ofSeconds(1));

        assertThat(transport.sent).isEmpty();
        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.KIND).value(), StandardCharsets.UTF_8))
                .isEqualTo("INVALID");
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.MESSAGE).value(), StandardCharsets.UTF_8))
                .contains("mailer.unsubscribe.base.url");
        List<StatusEvent> statuses = fixture.status.readValuesToList().stream().map(StatusEventJson::parse).toList();
        assertThat(statuses).extracting(StatusEvent::status).containsExactly(Status.DEAD_LETTERED);
    }
}
