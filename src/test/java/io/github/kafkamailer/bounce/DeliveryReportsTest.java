package io.github.kafkamailer.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.transport.smtp.EmailIdHeader;
import io.github.kafkamailer.transport.smtp.MessageIds;
import io.github.kafkamailer.transport.smtp.MimeMessages;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link DeliveryReports} on real RFC 3464 notifications, built with Jakarta Mail and read back from bytes. */
class DeliveryReportsTest {

    @Test
    void shouldMatchAPermanentFailureToTheReturnedMessageOfTheDefaultTenant() throws Exception {
        var dsn = Dsns.report("<r1@mx>", Dsns.status("bob@example.com", "failed", "5.1.1",
                "550 5.1.1 <bob@example.com>: Recipient address rejected"), "message/rfc822",
                Dsns.original("<inv-1@example.com>"));

        assertThat(DeliveryReports.isDeliveryReport(dsn)).isTrue();
        assertThat(DeliveryReports.match(dsn)).containsExactly(new Bounce("default", "inv-1", "bob@example.com",
                "5.1.1", "550 5.1.1 <bob@example.com>: Recipient address rejected"));
        assertThat(DeliveryReports.match(dsn).get(0).permanent()).isTrue();
    }

    @Test
    void shouldMatchReturnedHeadersCarryingAnotherTenantsMessageId() throws Exception {
        var dsn = Dsns.report("<r2@mx>", Dsns.status("<carol@example.org>", "failed", "5.2.2", null),
                "text/rfc822-headers", Dsns.original("<inv-2=acme@example.com>"));

        assertThat(DeliveryReports.match(dsn)).containsExactly(
                new Bounce("acme", "inv-2", "carol@example.org", "5.2.2", null));
    }

    @Test
    void shouldReadADelayedRecipientAsATransientBounce() throws Exception {
        var dsn = Dsns.report("<r3@mx>", Dsns.status("bob@example.com", "delayed", "4.4.1",
                "421 4.4.1 connection timed out"), "text/rfc822-headers", Dsns.original("<inv-3@example.com>"));

        Bounce b = DeliveryReports.match(dsn).get(0);
        assertThat(b.permanent()).isFalse();
        assertThat(b.kind()).isEqualTo("transient");
        assertThat(b.error()).isEqualTo("4.4.1 421 4.4.1 connection timed out");
    }

    @Test
    void shouldFindNoBounceInASuccessReport() throws Exception {
        var dsn = Dsns.report("<r4@mx>", Dsns.status("bob@example.com", "delivered", "2.0.0", "250 OK"),
                "text/rfc822-headers", Dsns.original("<inv-4@example.com>"));

        assertThat(DeliveryReports.isDeliveryReport(dsn)).isTrue();
        assertThat(DeliveryReports.match(dsn)).isEmpty();
    }

    @Test
    void shouldNotMatchAMessageThatIsNoReport() throws Exception {
        var plain = Dsns.plain("Out of office");

        assertThat(DeliveryReports.isDeliveryReport(plain)).isFalse();
        assertThat(DeliveryReports.match(plain)).isEmpty();
    }

    @Test
    void shouldNotMatchAReportWhoseReturnedMessageIdIsNoneOfOurs() throws Exception {
        var hashed = Dsns.report("<r5@mx>", Dsns.status("bob@example.com", "failed", "5.1.1", null),
                "message/rfc822", Dsns.original("<h~" + "a".repeat(40) + "@example.com>"));
        var none = Dsns.report("<r6@mx>", Dsns.status("bob@example.com", "failed", "5.1.1", null),
                "message/rfc822", null);

        assertThat(DeliveryReports.match(hashed)).isEmpty();
        assertThat(DeliveryReports.match(none)).isEmpty();
    }

    @Test
    void shouldMatchAnEmailWhoseMessageIdIsAHashByTheMailersOwnHeader() throws Exception {
        // Neither the tenant nor the id fits a Message-ID: it is a hash, and only the header names the email.
        String tenant = "acme corp";
        String id = "Rechnung 2026/42 für Jürgen";
        String hashed = MessageIds.of(tenant, id, "billing@example.com");
        assertThat(MessageIds.read(hashed)).isEmpty();
        String header = EmailIdHeader.value(tenant, id);
        var returnedMessage = Dsns.report("<r8@mx>", Dsns.status("bob@example.com", "failed", "5.1.1", null),
                "message/rfc822", Dsns.original(hashed, header));
        var returnedHeaders = Dsns.report("<r9@mx>", Dsns.status("bob@example.com", "failed", "5.1.1", null),
                "text/rfc822-headers", Dsns.original(hashed, header));

        Bounce expected = new Bounce(tenant, id, "bob@example.com", "5.1.1", null);
        assertThat(DeliveryReports.match(returnedMessage)).containsExactly(expected);
        assertThat(DeliveryReports.match(returnedHeaders)).containsExactly(expected);
    }

    @Test
    void shouldMatchTheRealMessageTheMailerSentWhenItsMessageIdIsAHash() throws Exception {
        EmailEvent email = EmailEvent.builder("inv 9/ä").tenant("acme").from("alice@example.com")
                .to("bob@example.com").subject("Invoice").text("Hi").build();
        MimeMessage sent = MimeMessages.build(Dsns.SESSION, email,
                ConfigRules.parse(Map.of("smtpHost", "smtp.example.com", "postmaster", "noreply@example.com")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sent.writeTo(bytes);
        var dsn = Dsns.report("<r10@mx>", Dsns.status("bob@example.com", "failed", "5.1.1", null), "message/rfc822",
                bytes.toByteArray());

        assertThat(DeliveryReports.match(dsn)).containsExactly(
                new Bounce("acme", "inv 9/ä", "bob@example.com", "5.1.1", null));
    }

    @Test
    void shouldFallBackToTheMessageIdWhenTheHeaderIsNoneOfOurs() throws Exception {
        var dsn = Dsns.report("<r11@mx>", Dsns.status("bob@example.com", "failed", "5.1.1", null),
                "text/rfc822-headers", Dsns.original("<inv-11=acme@example.com>", "not-ours"));

        assertThat(DeliveryReports.match(dsn)).containsExactly(
                new Bounce("acme", "inv-11", "bob@example.com", "5.1.1", null));
    }

    @Test
    void shouldKeepADiagnosticOnOneLineAndCutALongOne() throws Exception {
        String body = Dsns.status("bob@example.com", "failed", "5.7.1", "550 5.7.1 " + "x".repeat(900))
                + "\tfolded continuation\r\n";
        var dsn = Dsns.report("<r7@mx>", body, "text/rfc822-headers", Dsns.original("<inv-7@example.com>"));

        String diagnostic = DeliveryReports.match(dsn).get(0).diagnostic();
        assertThat(diagnostic).doesNotContain("\n").doesNotContain("\r").hasSizeLessThanOrEqualTo(503);
        assertThat(new String(diagnostic.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .startsWith("550 5.7.1 xxx");
    }
}
