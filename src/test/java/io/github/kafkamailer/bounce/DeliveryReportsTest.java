package io.github.kafkamailer.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
