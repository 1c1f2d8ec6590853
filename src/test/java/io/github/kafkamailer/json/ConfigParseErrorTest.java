package io.github.kafkamailer.json;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A config record that is not JSON must be rejected without its content in the reason: the reason goes to a WARN
 * line and to the CLI, and the broken part is often the secret itself (a password written without quotes).
 */
class ConfigParseErrorTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"smtpHost\":\"h\",\"smtpPassword\":hunter2}",
            "{\"smtpHost\":\"h\",\"smtpPassword\":\"hunter2}",
            "{\"smtpHost\":\"h\",\"smtpPassword\":'hunter2'}",
            "{\"smtpHost\":\"h\",\"smtpPassword\":\"x\"} hunter2",
            "{\"smtpHost\":\"h\",\"smtpPassword\":[hunter2]}",
            "{\"smtpHost\":\"h\",hunter2:\"x\"}"})
    void shouldRejectBrokenJsonWithoutEchoingIt(String json) {
        assertThatThrownBy(() -> ConfigJson.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("is not valid JSON")
                .hasMessageContaining("at line 1, column")
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"smtpHost\":\"h\",\"postmaster\":\"a@b.example\",\"smtpPassword\":12345678}",
            "{\"smtpHost\":\"h\",\"postmaster\":\"a@b.example\",\"clientSecret\":12345678}",
            "{\"smtpHost\":\"h\",\"postmaster\":\"a@b.example\",\"smtpPassword\":true}"})
    void shouldNotEchoASecretOfTheWrongType(String json) {
        assertThatThrownBy(() -> ConfigJson.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("must be a string")
                .hasMessageNotContaining("12345678")
                .hasMessageNotContaining("true");
    }
}
