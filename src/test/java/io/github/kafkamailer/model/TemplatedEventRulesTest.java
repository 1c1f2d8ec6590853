package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.json.EmailEventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONTRACT.md, "Email event": {@code template} and {@code data} instead of subject, text and html. */
class TemplatedEventRulesTest {
    private static EmailEvent parse(String json) {
        return EmailEventJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> badFields(String json) {
        try {
            parse(json);
        } catch (InvalidRecordException e) {
            return e.violations().stream().map(Violation::field).toList();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void aTemplatedEventNeedsNoSubjectOrBody() {
        EmailEvent e = parse("""
                {"id": "a", "to": ["bob@example.com"], "template": "invoice",
                 "data": {"number": 42, "customer": {"name": "Bob"}, "lines": [1, null]}}""");
        assertThat(e.template()).isEqualTo("invoice");
        assertThat(e.needsRendering()).isTrue();
        assertThat(e.subject()).isNull();
        assertThat(e.data()).containsEntry("number", 42).containsKey("customer");
        assertThat(parse("{\"id\": \"b\", \"to\": [\"b@example.com\"], \"template\": \"t\"}").data()).isEmpty();
    }

    @Test
    void writtenAndReadBackItStaysTheSame() {
        EmailEvent e = parse("""
                {"id": "a", "to": ["bob@example.com"], "template": "invoice", "data": {"n": [1, {"x": "y"}]}}""");
        EmailEvent again = EmailEventJson.parse(EmailEventJson.write(e));
        assertThat(again).isEqualTo(e);
        assertThat(new String(EmailEventJson.write(e), StandardCharsets.UTF_8)).doesNotContain("subject");
    }

    @Test
    void aTemplateBesideSubjectTextOrHtmlIsInvalid() {
        assertThat(badFields("""
                {"id": "a", "to": ["b@example.com"], "template": "t", "subject": "s", "text": "x", "html": "h"}"""))
                .contains("subject", "text", "html");
    }

    @Test
    void dataWithoutATemplateOrNotAnObjectIsInvalid() {
        assertThat(badFields("""
                {"id": "a", "to": ["b@example.com"], "subject": "s", "text": "x", "data": {"a": 1}}"""))
                .containsExactly("data");
        assertThat(badFields("{\"id\": \"a\", \"to\": [\"b@example.com\"], \"template\": \"t\", \"data\": [1]}"))
                .containsExactly("data");
    }

    @Test
    void aTemplateNameOutsideTheRuleIsInvalid() {
        for (String name : List.of("", "a/b", "has space", "x".repeat(101), "ünïcode", "a\nb")) {
            assertThat(badFields("{\"id\": \"a\", \"to\": [\"b@example.com\"], \"template\": "
                    + io.github.kafkamailer.json.TemplateJsonTestSupport.quote(name) + "}")).as(name)
                    .contains("template");
        }
    }

    @Test
    void renderedContentKeepsTheTemplatesNameAndDropsTheData() {
        EmailEvent e = EmailEvent.builder("a").to("b@example.com").template("t", Map.of("k", "v")).build();
        EmailEvent sent = e.withRenderedContent("S", "T", null);
        assertThat(sent.needsRendering()).isFalse();
        assertThat(sent.template()).isEqualTo("t");
        assertThat(sent.subject()).isEqualTo("S");
        assertThat(sent.data()).isEmpty();
    }
}
