package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.sending.TemplateRendering;
import io.github.kafkamailer.template.CompiledTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Templates through the engine (CONTRACT.md, "Template record"): the templates table, rendering on the senders when
 * the email is sent, and what a missing or unrenderable template does.
 */
class TemplateTopologyTest {
    private static final Instant START = Instant.parse("2026-12-05T09:00:00Z");
    /** The outbox's size limit, as the app gives it: small here, so a test can pass it. */
    private static final long MAX_CHARS = 20_000;

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final TemplateTable table = new TemplateTable();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(TemplateTableProcessor.class);
    private TopologyFixture fixture;
    private TestInputTopic<String, byte[]> templates;

    @BeforeEach
    void start() {
        logged.start();
        log.addAppender(logged);
        fixture = new TopologyFixture(topics, metrics, TopologyFixture.inlineSending(
                TemplateRendering.around(transport, table, MAX_CHARS), topics, metrics, START),
                TopologyFixture.secrets(stateDir, Map.of()), stateDir, START,
                TopologyFixture.withGlobalProcessingHandler(), table);
        templates = fixture.driver.createInputTopic(topics.templates(), new StringSerializer(),
                new ByteArraySerializer());
        fixture.config.pipeInput("acme", TopologyFixture.tenantConfig("\"maxErrorSeconds\":60"));
    }

    @AfterEach
    void stop() {
        fixture.close();
        log.detachAppender(logged);
    }

    private void template(String name, String subject, String text, String html) {
        Template t = new Template("acme", name, subject, text, html);
        templates.pipeInput(t.key(), TemplateJson.write(t));
    }

    private void invoiceTemplate() {
        template("invoice", "Invoice {{number}}", "Dear {{customer.name}},\ninvoice {{number}}: {{#lines}}{{item}} {{/lines}}",
                "<p>Dear {{customer.name}}</p>{{{signature}}}");
    }

    /** An email of tenant acme rendered from {@code name} with {@code data} (JSON members). */
    private void publish(String id, String name, String data) {
        String json = "{\"id\":\"" + id + "\",\"tenant\":\"acme\",\"from\":\"alice@example.com\","
                + "\"to\":[\"bob@example.com\"],\"template\":\"" + name + "\",\"data\":{" + data + "}}";
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

    private List<StatusEvent> statuses() {
        return fixture.status.readValuesToList().stream().map(StatusEventJson::parse).toList();
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void shouldRenderWhenSentAndNameTheTemplateInSent() {
        invoiceTemplate();
        publish("e1", "invoice", "\"number\":42,\"customer\":{\"name\":\"Bob\"},\"lines\":[{\"item\":\"pen\"},"
                + "{\"item\":\"ink\"}],\"signature\":\"<i>Alice</i>\"");
        tick(Duration.ofSeconds(1));

        assertThat(transport.sent).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("Invoice 42");
            assertThat(e.text()).isEqualTo("Dear Bob,\ninvoice 42: pen ink ");
            assertThat(e.html()).isEqualTo("<p>Dear Bob</p><i>Alice</i>");
            assertThat(e.template()).isEqualTo("invoice");
            assertThat(e.data()).isEmpty();
        });
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.template()).isEqualTo("invoice");
        });
    }

    @Test
    void shouldEscapeHtmlInTheHtmlBodyOnly() {
        template("greeting", "Hello {{name}}", "Hello {{name}}", "<p>Hello {{name}}</p>");
        publish("e1", "greeting", "\"name\":\"<b>Bob & \\\"Co\\\"</b>\"");
        tick(Duration.ofSeconds(1));

        assertThat(transport.sent).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("Hello <b>Bob & \"Co\"</b>");
            assertThat(e.text()).isEqualTo("Hello <b>Bob & \"Co\"</b>");
            assertThat(e.html()).startsWith("<p>Hello &lt;b&gt;Bob &amp; ").doesNotContain("<b>").endsWith("</p>");
        });
    }

    @Test
    void shouldRetryWhileTheTemplateIsUnknownAndSendOnceItArrives() {
        publish("e1", "invoice", "\"number\":7");
        List<TestRecord<byte[], byte[]>> retried = tick(Duration.ofSeconds(1));

        assertThat(transport.sent).isEmpty();
        assertThat(retried).singleElement().satisfies(r -> {
            EmailEvent kept = EmailEventJson.parse(r.value());
            assertThat(kept.template()).isEqualTo("invoice");
            assertThat(kept.data()).containsEntry("number", 7);
        });
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.RETRY_SCHEDULED);
            assertThat(s.error()).contains("template 'invoice'", "acme");
        });

        invoiceTemplate();
        tick(Duration.ofSeconds(21));

        assertThat(transport.sent).singleElement().satisfies(e -> assertThat(e.subject()).isEqualTo("Invoice 7"));
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.template()).isEqualTo("invoice");
        });
    }

    @Test
    void shouldExpireAnEmailWhoseTemplateNeverArrives() {
        publish("e1", "missing", "");
        for (int i = 0; i < 10 && fixture.dlq.isEmpty(); i++) {
            tick(Duration.ofSeconds(21));
        }
        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("EXPIRED");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("template 'missing'");
        assertThat(transport.sent).isEmpty();
    }

    @Test
    void shouldRejectATemplateThatDoesNotCompileAndKeepThePreviousVersion() {
        template("invoice", "Invoice {{number}}", "v1 {{number}}", null);
        CompiledTemplate v1 = table.find("acme", "invoice");
        template("invoice", "Invoice {{number}}", "first line\n{{#lines}}never closed", null);
        Template badName = new Template("acme", "no spaces", "x", "y", null);
        templates.pipeInput(badName.key(), TemplateJson.write(badName));

        assertThat(table.find("acme", "invoice")).isSameAs(v1);
        assertThat(metrics.count(MailerMetrics.TEMPLATES_REJECTED, "tenant", "acme")).isEqualTo(2);
        assertThat(warnings()).anySatisfy(m -> assertThat(m).contains("'invoice'", "'acme'", "text: line 2"))
                .anySatisfy(m -> assertThat(m).contains("'no spaces'", "'acme'", "name"));

        publish("e1", "invoice", "\"number\":1");
        tick(Duration.ofSeconds(1));
        assertThat(transport.sent).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("v1 1"));
    }

    @Test
    void shouldCountATenantWithoutConfigUnderTheUnconfiguredLabel() {
        Template t = new Template("nobody", "x", "{{#open}}", "y", null);
        templates.pipeInput(t.key(), TemplateJson.write(t));
        templates.pipeInput("not-a-key", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(metrics.count(MailerMetrics.TEMPLATES_REJECTED, "tenant", MailerMetrics.UNCONFIGURED_TENANT))
                .isEqualTo(1);
        assertThat(metrics.count(MailerMetrics.TEMPLATES_REJECTED, "tenant", MailerMetrics.UNKNOWN_TENANT))
                .isEqualTo(1);
        assertThat(metrics.registry().find(MailerMetrics.TEMPLATES_REJECTED).tag("tenant", "nobody").counter())
                .isNull();
    }

    @Test
    void shouldCompileEachVersionOnce() {
        invoiceTemplate();
        CompiledTemplate first = table.find("acme", "invoice");
        invoiceTemplate();
        assertThat(table.find("acme", "invoice")).isSameAs(first);

        template("invoice", "Invoice {{number}} (v2)", "v2", null);
        assertThat(table.find("acme", "invoice")).isNotSameAs(first);
        assertThat(table.find("acme", "invoice").source().subject()).endsWith("(v2)");
    }

    @Test
    void shouldRemoveATemplateOnATombstone() {
        invoiceTemplate();
        templates.pipeInput("acme/invoice", (byte[]) null);
        assertThat(table.find("acme", "invoice")).isNull();

        publish("e1", "invoice", "\"number\":3");
        tick(Duration.ofSeconds(1));
        assertThat(transport.sent).isEmpty();
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.RETRY_SCHEDULED);
    }

    @Test
    void shouldDeadLetterASubjectWithALineBreakAsInvalid() {
        template("hello", "Hello {{name}}", "Hi", null);
        publish("e1", "hello", "\"name\":\"Bob\\r\\nBcc: eve@example.com\"");
        tick(Duration.ofSeconds(1));

        assertThat(transport.sent).isEmpty();
        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("INVALID");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("template 'hello'", "subject");
        assertThat(statuses()).extracting(StatusEvent::status).containsExactly(Status.DEAD_LETTERED);
    }

    @Test
    void shouldDeadLetterARenderPastTheOutboxLimitAsInvalid() {
        template("list", "Items", "{{#items}}{{#items}}0123456789{{/items}}{{/items}}", null);
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            items.append(i == 0 ? "" : ",").append(i);
        }
        // 100 × 100 × 10 characters from an event of a few hundred bytes: past the limit of 20,000.
        publish("e1", "list", "\"items\":[" + items + "]");
        tick(Duration.ofSeconds(1));

        assertThat(transport.sent).isEmpty();
        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("INVALID");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("template 'list'", "20000");
    }
}
