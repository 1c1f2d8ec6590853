package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.kafkamailer.json.ConfigJson;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fallback SMTP server's fields (CONTRACT.md, {@code fallbackSmtp*}): parsed, checked, compared, redacted. */
class FallbackConfigTest {

    private static Map<String, Object> withFallback() {
        Map<String, Object> m = new HashMap<>();
        m.put("smtpHost", "smtp.example.com");
        m.put("postmaster", "donotreply@example.com");
        m.put("fallbackSmtpHost", "relay.example.net");
        m.put("fallbackSmtpPort", 587);
        m.put("fallbackSmtpUser", "relay-user");
        m.put("fallbackSmtpPassword", "fa11back-pa55");
        m.put("fallbackStartTls", true);
        return m;
    }

    @Test
    void shouldHaveNoFallbackByDefault() {
        Map<String, Object> m = withFallback();
        m.keySet().removeIf(k -> k.startsWith("fallback"));
        MailerConfig c = ConfigRules.parse(m);

        assertThat(c.hasFallback()).isFalse();
        assertThat(c.fallbackServer()).isNull();
        assertThat(c.fallbackSmtpPort()).isEqualTo(25);
        assertThat(c.fallbackStartTls()).isFalse();
        assertThat(c.fallbackSmtpSsl()).isFalse();
    }

    @Test
    void shouldMakeTheFallbackServerAPlainSmtpConfigWithTheSameSenderRules() {
        Map<String, Object> m = withFallback();
        m.put("useGraphApi", true);
        m.put("tenantId", "t");
        m.put("clientId", "c");
        m.put("clientSecret", "s");
        m.put("forcePostmaster", false);
        MailerConfig c = ConfigRules.parse(m);

        MailerConfig f = c.fallbackServer();
        assertThat(f.transportKind()).isEqualTo(TransportKind.SMTP);
        assertThat(f.smtpHost()).isEqualTo("relay.example.net");
        assertThat(f.smtpPort()).isEqualTo(587);
        assertThat(f.smtpUser()).isEqualTo("relay-user");
        assertThat(f.smtpPassword().reveal()).isEqualTo("fa11back-pa55");
        assertThat(f.startTls()).isTrue();
        assertThat(f.smtpSsl()).isFalse();
        assertThat(f.forcePostmaster()).isFalse();
        assertThat(f.postmaster()).isEqualTo(c.postmaster());
        assertThat(f.hasFallback()).as("no fallback of the fallback").isFalse();
    }

    @Test
    void shouldRejectImplicitTlsAndStartTlsTogetherForTheFallback() {
        Map<String, Object> m = withFallback();
        m.put("fallbackSmtpSsl", true);
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> ConfigRules.parse(m));

        assertThat(e.violations()).extracting(Violation::field).containsExactly("fallbackSmtpSsl");
    }

    @Test
    void shouldRejectAFallbackPortOutOfRange() {
        Map<String, Object> m = withFallback();
        m.put("fallbackSmtpPort", 70_000);
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> ConfigRules.parse(m));

        assertThat(e.violations()).extracting(Violation::field).containsExactly("fallbackSmtpPort");
    }

    @Test
    void shouldTellAnotherFallbackServerApartSoThatARunInProgressStops() {
        MailerConfig c = ConfigRules.parse(withFallback());
        for (String field : new String[] {"fallbackSmtpHost", "fallbackSmtpUser", "fallbackSmtpPassword"}) {
            Map<String, Object> m = withFallback();
            m.put(field, "other");
            assertThat(c.sameServerAs(ConfigRules.parse(m))).as(field).isFalse();
        }
        Map<String, Object> port = withFallback();
        port.put("fallbackSmtpPort", 2525);
        assertThat(c.sameServerAs(ConfigRules.parse(port))).isFalse();
        Map<String, Object> tls = withFallback();
        tls.put("fallbackStartTls", false);
        tls.put("fallbackSmtpSsl", true);
        assertThat(c.sameServerAs(ConfigRules.parse(tls))).isFalse();
        assertThat(c.sameServerAs(ConfigRules.parse(withFallback()))).isTrue();
    }

    @Test
    void shouldResolveTheFallbackPasswordReferenceLikeTheOthers() {
        Map<String, Object> m = withFallback();
        m.put("smtpPassword", "${env:MAILER_PRIMARY}");
        m.put("fallbackSmtpPassword", "${env:MAILER_FALLBACK}");
        MailerConfig c = SecretReferences.resolve(ConfigRules.parse(m), new SecretReferences.Resolver() {
            @Override
            public String env(String name) {
                return name.equals("MAILER_FALLBACK") ? "from-env-fallback" : "from-env-primary";
            }

            @Override
            public String file(String path) {
                throw new IllegalArgumentException("no files here");
            }
        });

        assertThat(c.fallbackSmtpPassword().reveal()).isEqualTo("from-env-fallback");
        assertThat(c.smtpPassword().reveal()).isEqualTo("from-env-primary");
        assertThat(c.fallbackServer().smtpPassword().reveal()).isEqualTo("from-env-fallback");
    }

    @Test
    void shouldNameTheFallbackPasswordWhenItsReferenceCannotBeResolved() {
        Map<String, Object> m = withFallback();
        m.put("fallbackSmtpPassword", "${env:MAILER_GONE}");
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> SecretReferences.resolve(ConfigRules.parse(m), new SecretReferences.Resolver() {
                    @Override
                    public String env(String name) {
                        throw new IllegalArgumentException("no variable " + name);
                    }

                    @Override
                    public String file(String path) {
                        throw new IllegalArgumentException("no files here");
                    }
                }));

        assertThat(e.violations()).extracting(Violation::field).containsExactly("fallbackSmtpPassword");
    }

    @Test
    void shouldNeverPrintTheFallbackPassword() {
        MailerConfig c = ConfigRules.parse(withFallback());

        String redacted = ConfigJson.writeRedacted(c);
        assertThat(redacted).doesNotContain("fa11back-pa55").contains("\"fallbackSmtpPassword\" : \"" + Secret.REDACTED);
        assertThat(ConfigJson.writeWithoutSecrets(c)).doesNotContain("fa11back-pa55", "fallbackSmtpPassword")
                .contains("relay.example.net");
        assertThat(c.toString()).doesNotContain("fa11back-pa55");
    }
}
