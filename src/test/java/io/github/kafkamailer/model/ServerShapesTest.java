package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config's three server shapes ({@link SmtpServer} twice, {@link ImapMailbox}) as views of its fields. */
class ServerShapesTest {

    private static MailerConfig config() {
        Map<String, Object> m = new HashMap<>();
        m.put("smtpHost", "smtp.example.com");
        m.put("smtpPort", 465);
        m.put("smtpUser", "u");
        m.put("smtpPassword", "primary-pa55");
        m.put("smtpSsl", true);
        m.put("postmaster", "donotreply@example.com");
        m.put("bounceImapHost", "imap.example.com");
        m.put("bounceImapUser", "b");
        m.put("bounceImapPassword", "bounce-pa55");
        m.put("fallbackSmtpHost", "relay.example.net");
        m.put("fallbackSmtpPort", 587);
        m.put("fallbackStartTls", true);
        return ConfigRules.parse(m);
    }

    @Test
    void shouldViewEachServersFields() {
        MailerConfig c = config();

        assertThat(c.primarySmtp()).isEqualTo(new SmtpServer("smtp.example.com", 465, "u",
                Secret.ofNullable("primary-pa55"), false, true));
        assertThat(c.fallbackSmtp()).isEqualTo(new SmtpServer("relay.example.net", 587, null, null, true, false));
        assertThat(c.bounceMailbox()).isEqualTo(new ImapMailbox("imap.example.com", 993, "b",
                Secret.ofNullable("bounce-pa55"), true, false));
    }

    @Test
    void shouldReplaceOneServerAndKeepEveryOtherField() {
        MailerConfig c = config();
        SmtpServer other = new SmtpServer("other.example.com", 25, null, null, true, false);

        MailerConfig changed = c.withFallbackSmtp(other);

        assertThat(changed.fallbackSmtp()).isEqualTo(other);
        assertThat(changed.withFallbackSmtp(c.fallbackSmtp())).isEqualTo(c);
        assertThat(c.withPrimarySmtp(c.primarySmtp())).isEqualTo(c);
        assertThat(c.withBounceMailbox(c.bounceMailbox())).isEqualTo(c);
        assertThat(c.withSecrets(c.smtpPassword(), c.clientSecret())).isEqualTo(c);
    }

    @Test
    void shouldNeverPrintAPassword() {
        MailerConfig c = config();

        assertThat(c.primarySmtp().toString()).doesNotContain("primary-pa55").contains(Secret.REDACTED);
        assertThat(c.bounceMailbox().toString()).doesNotContain("bounce-pa55");
    }
}
