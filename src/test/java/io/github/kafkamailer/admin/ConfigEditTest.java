package io.github.kafkamailer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigEditTest {
    private static final MailerConfig BASE = ConfigRules.parse(Map.of("enabled", true, "smtpHost", "smtp.example.com",
            "smtpUser", "mailer", "smtpPassword", "old-pass-1", "postmaster", "noreply@example.com",
            "campaignIntervalSeconds", 20));

    @Test
    void shouldChangeOnlyTheNamedFieldsAndKeepTheSecrets() {
        MailerConfig edited = ConfigEdit.apply(BASE, Map.of("campaignIntervalSeconds", "60", "startTls", "true"),
                Set.of());
        assertThat(edited.campaignIntervalSeconds()).isEqualTo(60);
        assertThat(edited.startTls()).isTrue();
        assertThat(edited.smtpPassword()).isEqualTo(Secret.ofNullable("old-pass-1"));
        assertThat(edited.smtpHost()).isEqualTo("smtp.example.com");
        assertThat(ConfigEdit.changedFields(BASE, edited)).containsExactly("startTls", "campaignIntervalSeconds");
    }

    @Test
    void shouldUnsetAFieldBackToItsDefault() {
        MailerConfig edited = ConfigEdit.apply(BASE, Map.of(), Set.of("smtpUser", "campaignIntervalSeconds"));
        assertThat(edited.smtpUser()).isNull();
        assertThat(edited.campaignIntervalSeconds()).isEqualTo(20);
        assertThat(ConfigEdit.changedFields(BASE, edited)).containsExactly("smtpUser");
    }

    @Test
    void shouldNameEveryBadEditWithoutEchoingASecret() {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("colour", "red");
        set.put("smtpPort", "many");
        set.put("enabled", "yes");
        assertThatThrownBy(() -> ConfigEdit.apply(BASE, set, Set.of("nope")))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("colour: unknown field").hasMessageContaining("smtpPort: must be a whole number")
                .hasMessageContaining("enabled: must be true or false").hasMessageContaining("nope: unknown field");
        assertThatThrownBy(() -> ConfigEdit.apply(BASE, Map.of("smtpPassword", "${vault:x}"), Set.of()))
                .isInstanceOf(InvalidRecordException.class).hasMessageNotContaining("vault:x}\"");
    }

    @Test
    void shouldCheckTheRulesBetweenFieldsOnTheResult() {
        assertThatThrownBy(() -> ConfigEdit.apply(BASE, Map.of("smtpSsl", "true", "startTls", "true"), Set.of()))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("smtpSsl");
        assertThatThrownBy(() -> ConfigEdit.apply(BASE, Map.of("smtpPort", "0"), Set.of()))
                .hasMessageContaining("smtpPort: must be between 1 and 65535");
    }

    @Test
    void shouldKeepTheSecretsInForceThatARecordLeavesOutOrRedacts() {
        Map<String, Object> fetched = new LinkedHashMap<>(BASE.toFieldMap(true));
        fetched.put("campaignIntervalSeconds", 30);
        MailerConfig redactedBack = ConfigEdit.keepingSecrets(fetched, BASE);
        assertThat(redactedBack.smtpPassword().reveal()).isEqualTo("old-pass-1");
        assertThat(redactedBack.campaignIntervalSeconds()).isEqualTo(30);

        fetched.remove("smtpPassword");
        assertThat(ConfigEdit.keepingSecrets(fetched, BASE).smtpPassword().reveal()).isEqualTo("old-pass-1");

        fetched.put("smtpPassword", "");
        assertThat(ConfigEdit.keepingSecrets(fetched, BASE).smtpPassword()).isNull();

        fetched.put("smtpPassword", "new-pass-2");
        assertThat(ConfigEdit.keepingSecrets(fetched, BASE).smtpPassword().reveal()).isEqualTo("new-pass-2");
    }

    @Test
    void shouldWriteOnlyWhatDiffersFromTheDefaults() {
        Map<String, Object> record = ConfigEdit.withoutDefaults(BASE);
        assertThat(record).containsOnlyKeys("enabled", "smtpHost", "smtpUser", "smtpPassword", "postmaster");
        assertThat(ConfigRules.parse(record)).isEqualTo(BASE);
    }
}
