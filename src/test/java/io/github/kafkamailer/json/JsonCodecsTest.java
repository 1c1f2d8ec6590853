package io.github.kafkamailer.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.Secret;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JSON codecs of the three record kinds: what they write, they read back unchanged; secrets stay hidden. */
class JsonCodecsTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static Map<String, Object> decode(byte[] json) throws Exception {
        return PLAIN.readValue(json, new TypeReference<>() {
        });
    }

    private static MailerConfig fullConfig() {
        Map<String, Object> m = new HashMap<>();
        m.put("enabled", true);
        m.put("smtpHost", "smtp.office365.com");
        m.put("smtpPort", 587);
        m.put("smtpUser", "mailer@example.com");
        m.put("smtpPassword", "pa55-w0rd-smtp");
        m.put("useOAuth", true);
        m.put("tenantId", "tenant-guid");
        m.put("clientId", "client-guid");
        m.put("clientSecret", "cl1ent-s3cret-value");
        m.put("startTls", true);
        m.put("postmaster", "donotreply@example.com");
        m.put("outlookSender", "drafts@example.com");
        m.put("maxErrorSeconds", 3600);
        m.put("campaignIntervalSeconds", 5);
        m.put("retentionDays", 14);
        m.put("skipPendingOnStart", true);
        m.put("smtpConnections", 4);
        m.put("maxEmailsPerMinute", 120);
        m.put("authorityHost", "https://login.microsoftonline.us");
        m.put("graphBaseUrl", "https://graph.microsoft.us/v1.0");
        return ConfigRules.parse(m);
    }

    // --- email events -----------------------------------------------------------------------------------------

    @Test
    void shouldRoundTripAFullEmailEvent() {
        EmailEvent e = EmailEvent.builder("inv-2026-0042")
                .tenant("acme")
                .from("Alice <alice@example.com>")
                .to("bob@example.com", "carol@example.com")
                .cc("dave@example.com")
                .bcc("eve@example.com")
                .replyTo("team@example.com")
                .subject("Rechnung für Zoë – 請求書")
                .text("Plain text body")
                .html("<p>HTML body</p>")
                .attachments(List.of(
                        new Attachment("invoice.pdf", "application/pdf",
                                Base64.getEncoder().encodeToString("%PDF-1.4".getBytes(StandardCharsets.US_ASCII))),
                        new Attachment("raw.bin", null, "AAEC")))
                .headers(Map.of("X-Campaign", "november", "X-Priority", "1"))
                .mode(Mode.DRAFT)
                .createdAt(Instant.parse("2026-11-26T10:00:00.123Z"))
                .build();

        EmailEvent back = EmailEventJson.parse(EmailEventJson.write(e));

        assertThat(back).isEqualTo(e);
    }

    @Test
    void shouldRoundTripAMinimalEmailEvent() {
        EmailEvent e = EmailEvent.builder("e-1").to("bob@example.com").subject("Hi").text("t").build();

        EmailEvent back = EmailEventJson.parse(EmailEventJson.write(e));

        assertThat(back).isEqualTo(e);
        assertThat(back.tenant()).isEqualTo("default");
        assertThat(back.mode()).isEqualTo(Mode.SEND);
        assertThat(back.createdAt()).isNull();
    }

    @Test
    void shouldWriteOnlyContractFieldsAndLeaveEmptyOnesOut() throws Exception {
        EmailEvent e = EmailEvent.builder("e-1").to("bob@example.com").subject("Hi").text("t").build();

        Map<String, Object> json = decode(EmailEventJson.write(e));

        assertThat(json).containsOnlyKeys("id", "tenant", "to", "subject", "text", "mode");
        assertThat(json).containsEntry("tenant", "default").containsEntry("mode", "SEND");
    }

    @Test
    void shouldWriteCreatedAtAsAnIsoInstant() throws Exception {
        EmailEvent e = EmailEvent.builder("e-1").to("bob@example.com").subject("Hi").text("t")
                .createdAt(Instant.parse("2026-11-26T10:00:00Z")).build();

        assertThat(decode(EmailEventJson.write(e))).containsEntry("createdAt", "2026-11-26T10:00:00Z");
    }

    @Test
    void shouldWriteAHighPriorityAndReadItBack() throws Exception {
        EmailEvent e = EmailEvent.builder("e-1").to("bob@example.com").subject("Hi").text("t")
                .priority(io.github.kafkamailer.model.Priority.HIGH).build();

        assertThat(decode(EmailEventJson.write(e))).containsEntry("priority", "HIGH");
        assertThat(EmailEventJson.parse(EmailEventJson.write(e))).isEqualTo(e);
    }

    // --- config records ---------------------------------------------------------------------------------------

    @Test
    void shouldHideSecretsInTheRedactedConfig() throws Exception {
        String redacted = ConfigJson.writeRedacted(fullConfig());

        assertThat(redacted).doesNotContain("pa55-w0rd-smtp", "cl1ent-s3cret-value");
        Map<String, Object> json = decode(redacted.getBytes(StandardCharsets.UTF_8));
        assertThat(json).containsEntry("smtpPassword", Secret.REDACTED)
                .containsEntry("clientSecret", Secret.REDACTED)
                .containsEntry("smtpUser", "mailer@example.com")
                .containsEntry("smtpPort", 587);
    }

    @Test
    void shouldShowEveryFieldWithItsEffectiveValueInTheRedactedConfig() throws Exception {
        MailerConfig defaults = ConfigRules.parse(Map.of("smtpHost", "smtp.example.com",
                "postmaster", "donotreply@example.com"));

        Map<String, Object> json = decode(ConfigJson.writeRedacted(defaults).getBytes(StandardCharsets.UTF_8));

        assertThat(json.keySet()).containsExactlyInAnyOrder(
                java.util.Arrays.stream(ConfigField.values()).map(ConfigField::jsonName).toArray(String[]::new));
        assertThat(json).containsEntry("smtpPort", 25)
                .containsEntry("forcePostmaster", true)
                .containsEntry("retentionDays", 30)
                .containsEntry("smtpPassword", null);
    }

    @Test
    void shouldRoundTripAConfigWithItsSecrets() {
        MailerConfig config = fullConfig();

        byte[] stored = ConfigJson.writeWithSecrets(config);
        MailerConfig back = ConfigJson.parse(stored);

        assertThat(back).isEqualTo(config);
        assertThat(back.smtpPassword().reveal()).isEqualTo("pa55-w0rd-smtp");
        assertThat(back.clientSecret().reveal()).isEqualTo("cl1ent-s3cret-value");
    }

    @Test
    void shouldRoundTripAConfigOfDefaults() {
        MailerConfig config = ConfigRules.parse(Map.of("smtpHost", "smtp.example.com", "forcePostmaster", false));

        assertThat(ConfigJson.parse(ConfigJson.writeWithSecrets(config))).isEqualTo(config);
    }

    // --- status events ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Status.class)
    void shouldRoundTripEveryStatus(Status status) {
        StatusEvent s = new StatusEvent("inv-2026-0042", "default", status, 3, Instant.parse("2026-11-26T10:00:21Z"),
                TransportKind.SMTP, null);

        assertThat(StatusEventJson.parse(StatusEventJson.write(s))).isEqualTo(s);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void shouldRoundTripEveryTransportAndAnError(TransportKind transport) {
        StatusEvent s = new StatusEvent("e-1", "acme", Status.RETRY_SCHEDULED, 2,
                Instant.parse("2026-11-26T10:00:21.5Z"), transport, "451 4.7.0 Try again later – «quoted»");

        assertThat(StatusEventJson.parse(StatusEventJson.write(s))).isEqualTo(s);
    }

    @Test
    void shouldRoundTripAStatusWithoutTransport() {
        StatusEvent s = new StatusEvent("e-1", "default", Status.SKIPPED, 0, Instant.parse("2026-11-26T10:00:00Z"),
                null, null);

        assertThat(StatusEventJson.parse(StatusEventJson.write(s))).isEqualTo(s);
    }

    @Test
    void shouldWriteTheContractsStatusShape() throws Exception {
        StatusEvent s = new StatusEvent("inv-2026-0042", "default", Status.SENT, 1,
                Instant.parse("2026-11-26T10:00:21Z"), TransportKind.SMTP, null);

        Map<String, Object> json = decode(StatusEventJson.write(s));

        assertThat(json).containsOnlyKeys("id", "tenant", "status", "attempts", "at", "transport", "error")
                .containsAllEntriesOf(Map.of("id", "inv-2026-0042", "tenant", "default", "status", "SENT",
                        "attempts", 1, "at", "2026-11-26T10:00:21Z", "transport", "SMTP"))
                .containsEntry("error", null);
    }
}
