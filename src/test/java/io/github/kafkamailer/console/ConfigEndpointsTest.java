package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigEndpointsTest {
    @Test
    void shouldKeepSecretsExactlyAsTypedAndTrimTheOtherFields() {
        Map<String, String> set = ConfigEndpoints.formValues(Map.of(
                "smtpPassword", " pass word ",
                "clientSecret", "\tsecret ",
                "smtpHost", "  smtp.example.com  ",
                "smtpPort", " 587"));
        assertThat(set).containsEntry("smtpPassword", " pass word ")
                .containsEntry("clientSecret", "\tsecret ")
                .containsEntry("smtpHost", "smtp.example.com")
                .containsEntry("smtpPort", "587");
    }

    @Test
    void shouldLeaveAnEmptySecretOutSoTheOneInForceStays() {
        assertThat(ConfigEndpoints.formValues(Map.of("smtpPassword", "", "smtpHost", "")))
                .containsOnlyKeys("smtpHost");
    }

    @Test
    void shouldSendAndCheckSecretsAsTypedFromTheConfigPage() throws IOException {
        String js = Files.readString(Path.of("src", "main", "resources", "console", "config-page.js"));
        // The payload sends a secret's value untouched; the browser's checks look at it untrimmed too.
        assertThat(js).contains("else if (input.value) values[name] = input.value;")
                .contains("const v = f.type === 'SECRET' ? input.value : input.value.trim();");
    }
}
