package io.github.kafkamailer.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.model.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONTRACT.md, "Template record": the record's own rules. */
class TemplateJsonTest {
    private static final String EXAMPLE = """
            {"tenant": "default", "name": "invoice", "subject": "Invoice {{number}}",
             "text": "Dear {{customer.name}},\\nplease find invoice {{number}}.", "html": "<p>Dear {{customer.name}},</p>"}""";

    private static List<String> badFields(String key, String json) {
        try {
            TemplateJson.parse(key, json.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRecordException e) {
            return e.violations().stream().map(Violation::field).toList();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void parsesTheContractsExampleAndWritesItBack() {
        Template t = TemplateJson.parse("default/invoice", EXAMPLE.getBytes(StandardCharsets.UTF_8));
        assertThat(t).isEqualTo(new Template("default", "invoice", "Invoice {{number}}",
                "Dear {{customer.name}},\nplease find invoice {{number}}.", "<p>Dear {{customer.name}},</p>"));
        assertThat(t.key()).isEqualTo("default/invoice");
        assertThat(TemplateJson.parse(t.key(), TemplateJson.write(t))).isEqualTo(t);
    }

    @Test
    void theKeyMustBeTenantSlashName() {
        assertThat(badFields("default/other", EXAMPLE)).containsExactly("key");
        assertThat(badFields("invoice", EXAMPLE)).containsExactly("key");
    }

    @Test
    void breaksOfTheRulesAreNamedField() {
        assertThat(badFields(null, "{\"tenant\": \"t\", \"name\": \"a b\", \"subject\": \"s\", \"text\": \"x\"}"))
                .containsExactly("name");
        assertThat(badFields(null, "{\"tenant\": \"t\", \"name\": \"n\", \"text\": \"x\"}")).containsExactly("subject");
        assertThat(badFields(null, "{\"tenant\": \"t\", \"name\": \"n\", \"subject\": \"s\"}")).containsExactly("text");
        assertThat(badFields(null, "{\"name\": \"n\", \"subject\": \"s\", \"html\": \"h\", \"x\": 1}"))
                .containsExactlyInAnyOrder("tenant", "x");
        assertThatThrownBy(() -> TemplateJson.parse("k", "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class);
    }
}
