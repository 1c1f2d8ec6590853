package io.github.kafkamailer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.template.CompiledTemplate;
import io.github.kafkamailer.template.TemplateCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The README's examples and the files in {@code examples/} are accepted by the mailer's own parsers too (a template
 * record also compiles).
 */
class ReadmeExamplesParseTest {

    @TestFactory
    Stream<DynamicTest> everyReadmeExampleIsAcceptedByTheMailer() throws IOException {
        return SchemaExamplesTest.readReadme().examples().stream().map(example -> DynamicTest.dynamicTest(
                example.schema() + " example at README.md:" + example.line(), () -> {
                    byte[] bytes = example.json().getBytes(StandardCharsets.UTF_8);
                    switch (example.schema()) {
                        case "email-event" -> assertThat(EmailEventJson.parse(bytes).id()).isNotBlank();
                        case "config-record" -> assertThat(ConfigJson.parse(bytes)).isNotNull();
                        case "status-event" -> assertThat(StatusEventJson.parse(bytes).status()).isNotNull();
                        case "template-record" -> assertThat(compiledTemplate(bytes)).isNotNull();
                        default -> throw new AssertionError("unknown schema " + example.schema());
                    }
                }));
    }

    @Test
    void shouldAcceptTheExampleFiles() throws IOException {
        var root = SchemaExamplesTest.projectRoot().resolve("examples");
        assertThat(EmailEventJson.parse(Files.readAllBytes(root.resolve("email.json"))).attachments()).hasSize(1);
        assertThat(ConfigJson.parse(Files.readAllBytes(root.resolve("config-smtp.json"))).startTls()).isTrue();
        assertThat(compiledTemplate(Files.readAllBytes(root.resolve("invoice-template.json")))).isNotNull();
    }

    /** A template record parsed under the key its own tenant and name make, then compiled as the mailer does. */
    private static CompiledTemplate compiledTemplate(byte[] bytes) throws IOException {
        JsonNode record = new ObjectMapper().readTree(bytes);
        String key = Template.keyOf(record.path("tenant").asText(), record.path("name").asText());
        return TemplateCompiler.compile(TemplateJson.parse(key, bytes));
    }
}
