package io.github.kafkamailer.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link EmailIdHeader}: any tenant and id read back from the header the mailer puts on every email. */
class EmailIdHeaderTest {

    @Test
    void shouldReadBackATenantAndIdThatAMessageIdCanOnlyHash() {
        String value = EmailIdHeader.value("acme corp", "Rechnung 2026/42 für Jürgen");

        assertThat(value).matches("[A-Za-z0-9_.-]+");
        assertThat(EmailIdHeader.read(value)).contains(new MessageIds.Origin("acme corp", "Rechnung 2026/42 für Jürgen"));
        assertThat(EmailIdHeader.read(EmailIdHeader.value(null, "inv-1")))
                .contains(new MessageIds.Origin("default", "inv-1"));
    }

    @Test
    void shouldCutTheLongestValueIntoFoldablePiecesThatReadBackOnTheWayBack() throws Exception {
        String tenant = "ü".repeat(128);
        String id = "€".repeat(256);
        EmailEvent email = EmailEvent.builder(id).tenant(tenant).from("alice@example.com").to("bob@example.com")
                .subject("Long").text("Hi").build();
        MimeMessage sent = MimeMessages.build(Session.getInstance(new Properties()), email,
                ConfigRules.parse(Map.of("smtpHost", "smtp.example.com", "postmaster", "noreply@example.com")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sent.writeTo(bytes);

        assertThat(bytes.toString(java.nio.charset.StandardCharsets.US_ASCII).lines())
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        MimeMessage received = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(bytes.toByteArray()));
        String header = MimeUtility.unfold(received.getHeader(EmailIdHeader.NAME)[0]);
        assertThat(EmailIdHeader.read(header)).contains(new MessageIds.Origin(tenant, id));
    }

    @Test
    void shouldReadNothingFromAValueItDidNotWrite() {
        assertThat(EmailIdHeader.read(null)).isEmpty();
        assertThat(EmailIdHeader.read("")).isEmpty();
        assertThat(EmailIdHeader.read("no-dot")).isEmpty();
        assertThat(EmailIdHeader.read("a.b.c")).isEmpty();
        assertThat(EmailIdHeader.read("YWNtZQ.")).isEmpty();
        // Not UTF-8 (0xff), a control character (0x07), a tenant longer than any event's.
        assertThat(EmailIdHeader.read("_w.aW52")).isEmpty();
        assertThat(EmailIdHeader.read("Bw.aW52")).isEmpty();
        assertThat(EmailIdHeader.read(EmailIdHeader.value("t".repeat(129), "inv-1"))).isEmpty();
    }
}
