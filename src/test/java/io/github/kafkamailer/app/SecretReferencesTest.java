package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.SecretReferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {
    @TempDir
    Path dir;

    private static MailerConfig config(String password) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("smtpHost", "smtp.example.com");
        raw.put("postmaster", "noreply@example.com");
        raw.put("smtpUser", "u");
        raw.put("smtpPassword", password);
        return ConfigRules.parse(raw);
    }

    @Test
    void shouldResolveAnEnvironmentVariable() {
        MailerConfig c = SecretReferences.resolve(config("${env:MAILER_SMTP_PW}"), new EnvironmentSecrets(Map.of("MAILER_SMTP_PW", "s3"), List.of(dir), "MAILER_"));
        assertThat(c.smtpPassword().reveal()).isEqualTo("s3");
    }

    @Test
    void shouldResolveTheBounceMailboxPasswordReference() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("smtpHost", "smtp.example.com");
        raw.put("postmaster", "noreply@example.com");
        raw.put("bounceImapHost", "imap.example.com");
        raw.put("bounceImapUser", "bounces");
        raw.put("bounceImapPassword", "${env:MAILER_IMAP_PW}");
        MailerConfig c = SecretReferences.resolve(ConfigRules.parse(raw),
                new EnvironmentSecrets(Map.of("MAILER_IMAP_PW", "imap-s3"), List.of(dir), "MAILER_"));
        assertThat(c.bounceImapPassword().reveal()).isEqualTo("imap-s3");
    }

    @Test
    void shouldResolveAFileWithoutItsTrailingNewline() throws IOException {
        Path f = dir.resolve("pw");
        Files.writeString(f, "from-file\n");
        MailerConfig c = SecretReferences.resolve(config("${file:" + f + "}"), new EnvironmentSecrets(Map.of(), List.of(dir), "MAILER_"));
        assertThat(c.smtpPassword().reveal()).isEqualTo("from-file");
    }

    @Test
    void shouldKeepALiteralSecretAsItIs() {
        MailerConfig c = SecretReferences.resolve(config("literal"), new EnvironmentSecrets(Map.of(), List.of(dir), "MAILER_"));
        assertThat(c.smtpPassword().reveal()).isEqualTo("literal");
    }

    @Test
    void shouldRejectAnUnresolvableReferenceNamingItsFieldAndNotItsValue() {
        assertThatThrownBy(() -> SecretReferences.resolve(config("${env:MAILER_MISSING_PW}"), new EnvironmentSecrets(Map.of(), List.of(dir), "MAILER_")))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("smtpPassword").hasMessageContaining("MAILER_MISSING_PW is not set");
        String missing = dir.resolve("no-such-file").toString();
        assertThatThrownBy(() -> SecretReferences.resolve(config("${file:" + missing + "}"), new EnvironmentSecrets(Map.of(), List.of(dir), "MAILER_")))
                .hasMessageContaining("smtpPassword").hasMessageContaining(missing + " does not exist");
    }

    @Test
    void shouldRejectAMalformedReferenceAndTheRedactedPlaceholderAtParse() {
        assertThatThrownBy(() -> config("${vault:x}")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("smtpPassword: a secret reference must be");
        assertThatThrownBy(() -> config("********")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("redacted placeholder");
    }
}
