package io.github.kafkamailer.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.SenderRules;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MimeMessages#build} and the sender rules it follows (CONTRACT.md, {@code forcePostmaster}). */
class MimeMessagesTest {
    private static final String POSTMASTER = "donotreply@company.example";

    private final Session session = Session.getInstance(new Properties());

    private static MailerConfig forcedPostmaster() {
        return ConfigRules.parse(Map.of("smtpHost", "smtp.example.com", "postmaster", POSTMASTER));
    }

    private static MailerConfig userAsSender() {
        return ConfigRules.parse(Map.of("smtpHost", "smtp.example.com", "forcePostmaster", false));
    }

    private static MailerConfig userAsSenderWithPostmaster() {
        return ConfigRules.parse(Map.of("smtpHost", "smtp.example.com", "forcePostmaster", false,
                "postmaster", POSTMASTER));
    }

    private static EmailEvent.Builder email() {
        return email("inv-2026-0042");
    }

    private static EmailEvent.Builder email(String id) {
        return EmailEvent.builder(id)
                .from("alice@users.example")
                .to("bob@example.com")
                .subject("Invoice 2026-0042")
                .text("Plain text body");
    }

    private static List<String> addresses(Address[] list) {
        return list == null ? List.of() : Arrays.stream(list).map(a -> ((InternetAddress) a).getAddress()).toList();
    }

    /** What the receiving server sees: the message written out and read back. */
    private MimeMessage overTheWire(MimeMessage m) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return new MimeMessage(session, new ByteArrayInputStream(out.toByteArray()));
    }

    /** The header section exactly as it goes on the wire, one byte per char. */
    private static String rawHeaders(MimeMessage m) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        String raw = out.toString(StandardCharsets.ISO_8859_1);
        return raw.substring(0, raw.indexOf("\r\n\r\n"));
    }

    private static byte[] bytesOf(Part part) throws MessagingException, IOException {
        return part.getInputStream().readAllBytes();
    }

    // --- From and Reply-To ------------------------------------------------------------------------------------

    @Test
    void shouldNameJakartaMailsStreamProviderSoThatNoBodyPartScansTheClassPath() throws Exception {
        Class.forName(MimeMessages.class.getName(), true, MimeMessages.class.getClassLoader());
        assertThat(System.getProperty(MimeMessages.STREAM_PROVIDER)).isNotBlank();
        assertThat(jakarta.mail.util.StreamProvider.provider().getClass().getName())
                .isEqualTo(System.getProperty(MimeMessages.STREAM_PROVIDER));
    }

    @Test
    void shouldSendFromThePostmasterWithReplyToTheUserWhenForced() throws Exception {
        MimeMessage m = MimeMessages.build(session, email().build(), forcedPostmaster());

        assertThat(addresses(m.getFrom())).containsExactly(POSTMASTER);
        assertThat(m.getHeader("Reply-To")).hasSize(1);
        assertThat(addresses(m.getReplyTo())).containsExactly("alice@users.example");
    }

    @Test
    void shouldUseTheEventsReplyToWhenForcedAndGiven() throws Exception {
        EmailEvent e = email().replyTo("team@users.example", "boss@users.example").build();

        MimeMessage m = MimeMessages.build(session, e, forcedPostmaster());

        assertThat(addresses(m.getFrom())).containsExactly(POSTMASTER);
        assertThat(addresses(m.getReplyTo())).containsExactly("team@users.example", "boss@users.example");
    }

    @Test
    void shouldAddNoReplyToWhenForcedAndTheEventHasNoFrom() throws Exception {
        MimeMessage m = MimeMessages.build(session, email().from(null).build(), forcedPostmaster());

        assertThat(addresses(m.getFrom())).containsExactly(POSTMASTER);
        assertThat(m.getHeader("Reply-To")).isNull();
    }

    @Test
    void shouldSendFromTheUserWithoutReplyToWhenNotForced() throws Exception {
        MimeMessage m = MimeMessages.build(session, email().build(), userAsSenderWithPostmaster());

        assertThat(addresses(m.getFrom())).containsExactly("alice@users.example");
        assertThat(m.getHeader("Reply-To")).isNull();
    }

    @Test
    void shouldKeepTheEventsReplyToWhenNotForced() throws Exception {
        MimeMessage m = MimeMessages.build(session, email().replyTo("team@users.example").build(), userAsSender());

        assertThat(addresses(m.getFrom())).containsExactly("alice@users.example");
        assertThat(addresses(m.getReplyTo())).containsExactly("team@users.example");
    }

    @Test
    void shouldFallBackToThePostmasterWhenNotForcedAndTheEventHasNoFrom() throws Exception {
        MimeMessage m = MimeMessages.build(session, email().from(null).build(), userAsSenderWithPostmaster());

        assertThat(addresses(m.getFrom())).containsExactly(POSTMASTER);
        assertThat(m.getHeader("Reply-To")).isNull();
    }

    @Test
    void shouldRejectAnEmailWithNoPossibleSender() {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> MimeMessages.build(session, email().from(null).build(), userAsSender()));

        assertThat(e).isNotNull();
        assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("from"));
    }

    @Test
    void shouldKeepADisplayNameOfTheSender() throws Exception {
        MailerConfig config = ConfigRules.parse(Map.of("smtpHost", "smtp.example.com",
                "postmaster", "Company Mailer <donotreply@company.example>"));

        MimeMessage m = MimeMessages.build(session, email().build(), config);

        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo(POSTMASTER);
        assertThat(from.getPersonal()).isEqualTo("Company Mailer");
        assertThat(m.getMessageID()).isEqualTo("<inv-2026-0042@company.example>");
    }

    @Test
    void shouldFollowTheSameRulesInSenderRules() {
        EmailEvent withReplyTo = email().replyTo("team@users.example").build();
        EmailEvent noFrom = email().from(null).build();

        assertThat(SenderRules.from(email().build(), forcedPostmaster())).isEqualTo(POSTMASTER);
        assertThat(SenderRules.replyTo(email().build(), forcedPostmaster())).containsExactly("alice@users.example");
        assertThat(SenderRules.replyTo(withReplyTo, forcedPostmaster())).containsExactly("team@users.example");
        assertThat(SenderRules.from(email().build(), userAsSender())).isEqualTo("alice@users.example");
        assertThat(SenderRules.replyTo(email().build(), userAsSender())).isEmpty();
        assertThat(SenderRules.replyTo(withReplyTo, userAsSender())).containsExactly("team@users.example");
        assertThat(SenderRules.from(noFrom, userAsSender())).isNull();
        assertThat(SenderRules.replyTo(noFrom, forcedPostmaster())).isEmpty();
    }

    // --- recipients -------------------------------------------------------------------------------------------

    @Test
    void shouldSetToCcAndBcc() throws Exception {
        EmailEvent e = email().to("bob@example.com", "Carol <carol@example.com>").cc("dave@example.com")
                .bcc("eve@example.com").build();

        MimeMessage m = MimeMessages.build(session, e, forcedPostmaster());

        assertThat(addresses(m.getRecipients(Message.RecipientType.TO)))
                .containsExactly("bob@example.com", "carol@example.com");
        assertThat(addresses(m.getRecipients(Message.RecipientType.CC))).containsExactly("dave@example.com");
        assertThat(addresses(m.getRecipients(Message.RecipientType.BCC))).containsExactly("eve@example.com");
        assertThat(addresses(m.getAllRecipients())).hasSize(4);
    }

    // --- Message-ID -------------------------------------------------------------------------------------------

    @Test
    void shouldDeriveTheMessageIdFromTheEmailIdAndTheSendersDomain() throws Exception {
        MimeMessage forced = MimeMessages.build(session, email().build(), forcedPostmaster());
        MimeMessage user = MimeMessages.build(session, email().build(), userAsSender());

        assertThat(forced.getMessageID()).isEqualTo("<inv-2026-0042@company.example>");
        assertThat(user.getMessageID()).isEqualTo("<inv-2026-0042@users.example>");
    }

    @Test
    void shouldKeepTheMessageIdWhenSavedAgain() throws Exception {
        MimeMessage m = MimeMessages.build(session, email().build(), forcedPostmaster());

        m.saveChanges();
        m.saveChanges();

        assertThat(m.getHeader("Message-ID")).containsExactly("<inv-2026-0042@company.example>");
        assertThat(overTheWire(m).getMessageID()).isEqualTo("<inv-2026-0042@company.example>");
    }

    @Test
    void shouldGiveTheSameMessageIdToTheSameEmailBuiltTwice() throws Exception {
        String first = MimeMessages.build(session, email().build(), forcedPostmaster()).getMessageID();
        String second = MimeMessages.build(session, email().build(), forcedPostmaster()).getMessageID();

        assertThat(second).isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inv 2026/0042", "<evil>@x", "rechnung-für-zoë", ".starts-with-dot", "a..b",
            "ends-with-dot."})
    void shouldHashAnIdWithUnsafeCharactersIntoAStableMessageId(String id) throws Exception {
        MimeMessage first = MimeMessages.build(session, email(id).build(), forcedPostmaster());
        MimeMessage second = MimeMessages.build(session, email(id).build(), forcedPostmaster());

        assertThat(first.getMessageID()).matches("<h[0-9a-f]{40}@company\\.example>");
        assertThat(second.getMessageID()).isEqualTo(first.getMessageID());
    }

    @Test
    void shouldHashAnOverlongId() throws Exception {
        String id = "a".repeat(65);

        String messageId = MimeMessages.build(session, email(id).build(), forcedPostmaster()).getMessageID();

        assertThat(messageId).matches("<h[0-9a-f]{40}@company\\.example>");
    }

    @Test
    void shouldGiveTheSameIdInTwoTenantsTwoMessageIds() throws Exception {
        String acme = MimeMessages.build(session, email("inv-1").tenant("acme").build(), forcedPostmaster()).getMessageID();
        String beta = MimeMessages.build(session, email("inv-1").tenant("beta").build(), forcedPostmaster()).getMessageID();
        String byDefault = MimeMessages.build(session, email("inv-1").build(), forcedPostmaster()).getMessageID();

        assertThat(acme).isEqualTo("<inv-1=acme@company.example>").isNotEqualTo(beta);
        assertThat(byDefault).isEqualTo("<inv-1@company.example>");
    }

    @Test
    void shouldGiveDifferentUnsafeIdsDifferentMessageIds() {
        assertThat(MessageIds.of("default", "a b", POSTMASTER)).isNotEqualTo(MessageIds.of("default", "a  b", POSTMASTER));
    }

    @Test
    void shouldUseAFallbackDomainWhenTheSenderHasNone() {
        assertThat(MessageIds.of("default", "x-1", null)).isEqualTo("<x-1@" + MessageIds.FALLBACK_DOMAIN + ">");
    }

    // --- bodies and attachments -------------------------------------------------------------------------------

    @Test
    void shouldSendTextOnlyAsTextPlain() throws Exception {
        MimeMessage m = overTheWire(MimeMessages.build(session, email().build(), forcedPostmaster()));

        assertThat(m.isMimeType("text/plain")).isTrue();
        assertThat(m.getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat(m.getContent()).isEqualTo("Plain text body");
    }

    @Test
    void shouldSendHtmlOnlyAsTextHtml() throws Exception {
        EmailEvent e = email().text(null).html("<p>HTML body</p>").build();

        MimeMessage m = overTheWire(MimeMessages.build(session, e, forcedPostmaster()));

        assertThat(m.isMimeType("text/html")).isTrue();
        assertThat(m.getContent()).isEqualTo("<p>HTML body</p>");
    }

    @Test
    void shouldSendTextAndHtmlAsMultipartAlternative() throws Exception {
        EmailEvent e = email().html("<p>HTML body</p>").build();

        MimeMessage m = overTheWire(MimeMessages.build(session, e, forcedPostmaster()));

        assertThat(m.isMimeType("multipart/alternative")).isTrue();
        MimeMultipart alternative = (MimeMultipart) m.getContent();
        assertThat(alternative.getCount()).isEqualTo(2);
        assertThat(alternative.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Plain text body");
        assertThat(alternative.getBodyPart(1).isMimeType("text/html")).isTrue();
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>HTML body</p>");
    }

    @Test
    void shouldSendAnAttachmentAsMultipartMixedWithTheDecodedBytes() throws Exception {
        byte[] pdf = "%PDF-1.4\n\u0000\u00ff binary".getBytes(StandardCharsets.ISO_8859_1);
        EmailEvent e = email().html("<p>HTML body</p>")
                .attachments(List.of(new Attachment("invoice.pdf", "application/pdf",
                        Base64.getEncoder().encodeToString(pdf))))
                .build();

        MimeMessage m = overTheWire(MimeMessages.build(session, e, forcedPostmaster()));

        assertThat(m.isMimeType("multipart/mixed")).isTrue();
        MimeMultipart mixed = (MimeMultipart) m.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(0).isMimeType("multipart/alternative")).isTrue();
        MimeBodyPart attachment = (MimeBodyPart) mixed.getBodyPart(1);
        assertThat(attachment.isMimeType("application/pdf")).isTrue();
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attachment.getFileName()).isEqualTo("invoice.pdf");
        assertThat(bytesOf(attachment)).isEqualTo(pdf);
    }

    @Test
    void shouldKeepTheTextBodyNextToAttachments() throws Exception {
        EmailEvent e = email()
                .attachments(List.of(
                        new Attachment("a.txt", "text/plain", Base64.getEncoder().encodeToString("A".getBytes())),
                        new Attachment("b.bin", null, Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))))
                .build();

        MimeMessage m = overTheWire(MimeMessages.build(session, e, forcedPostmaster()));

        MimeMultipart mixed = (MimeMultipart) m.getContent();
        assertThat(mixed.getCount()).isEqualTo(3);
        MimeMultipart body = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(body.getBodyPart(0).getContent()).isEqualTo("Plain text body");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("a.txt");
        assertThat(bytesOf(mixed.getBodyPart(1))).isEqualTo("A".getBytes());
        assertThat(mixed.getBodyPart(2).isMimeType("application/octet-stream")).isTrue();
        assertThat(bytesOf(mixed.getBodyPart(2))).containsExactly(1, 2, 3);
    }

    @Test
    void shouldDecodeLineWrappedBase64() throws Exception {
        byte[] data = new byte[300];
        Arrays.fill(data, (byte) 7);
        EmailEvent e = email().attachments(List.of(
                new Attachment("d.bin", null, Base64.getMimeEncoder().encodeToString(data)))).build();

        MimeMessage m = overTheWire(MimeMessages.build(session, e, forcedPostmaster()));

        assertThat(bytesOf(((MimeMultipart) m.getContent()).getBodyPart(1))).isEqualTo(data);
    }

    @Test
    void shouldRoundTripANonAsciiAttachmentName() throws Exception {
        EmailEvent e = email().attachments(List.of(
                new Attachment("Größe – 請求書.pdf", "application/pdf", "JVBERi0x"))).build();

        MimeMessage m = overTheWire(MimeMessages.build(session, e, forcedPostmaster()));

        assertThat(((MimeMultipart) m.getContent()).getBodyPart(1).getFileName()).isEqualTo("Größe – 請求書.pdf");
    }

    // --- headers and subject ----------------------------------------------------------------------------------

    @Test
    void shouldAddTheExtraHeaders() throws Exception {
        EmailEvent e = email().headers(Map.of("X-Campaign", "november", "List-Unsubscribe",
                "<mailto:unsubscribe@example.com>")).build();

        MimeMessage m = overTheWire(MimeMessages.build(session, e, forcedPostmaster()));

        assertThat(m.getHeader("X-Campaign")).containsExactly("november");
        assertThat(m.getHeader("List-Unsubscribe")).containsExactly("<mailto:unsubscribe@example.com>");
    }

    @Test
    void shouldEncodeANonAsciiExtraHeaderValue() throws Exception {
        EmailEvent e = email().headers(Map.of("X-Campaign", "Noël – 冬")).build();
        MimeMessage built = MimeMessages.build(session, e, forcedPostmaster());

        MimeMessage m = overTheWire(built);

        assertThat(rawHeaders(built)).matches("\\p{ASCII}*");
        assertThat(MimeUtility.decodeText(m.getHeader("X-Campaign", null))).isEqualTo("Noël – 冬");
    }

    @Test
    void shouldEncodeANonAsciiDisplayName() throws Exception {
        EmailEvent e = email().to("Zoë Müller <zoe@example.com>").replyTo("Équipe <team@users.example>").build();
        MimeMessage built = MimeMessages.build(session, e, forcedPostmaster());

        MimeMessage m = overTheWire(built);

        assertThat(rawHeaders(built)).matches("\\p{ASCII}*");
        assertThat(((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getPersonal())
                .isEqualTo("Zoë Müller");
        assertThat(((InternetAddress) m.getReplyTo()[0]).getPersonal()).isEqualTo("Équipe");
    }

    @Test
    void shouldKeepEveryHeaderLineWithinTheRfcLimit() throws Exception {
        EmailEvent e = email().headers(Map.of("X-Tags", "tag ".repeat(400).trim())).build();
        MimeMessage built = MimeMessages.build(session, e, forcedPostmaster());

        assertThat(rawHeaders(built).split("\r\n")).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(998));
        assertThat(overTheWire(built).getHeader("X-Tags", null).replaceAll("\\s+", " "))
                .isEqualTo("tag ".repeat(400).trim());
    }

    @Test
    void shouldEncodeAUtf8SubjectAsAscii() throws Exception {
        MimeMessage built = MimeMessages.build(session, email().subject("Grüße – 請求書").build(), forcedPostmaster());

        assertThat(rawHeaders(built)).contains("Subject: =?UTF-8?");
    }

    @Test
    void shouldRoundTripAUtf8Subject() throws Exception {
        String subject = "Rechnung für Zoë – 請求書 2026 ✉";

        MimeMessage built = MimeMessages.build(session, email().subject(subject).build(), forcedPostmaster());
        MimeMessage m = overTheWire(built);

        assertThat(built.getSubject()).isEqualTo(subject);
        assertThat(m.getSubject()).isEqualTo(subject);
        assertThat(m.getHeader("Subject", null)).isNotEqualTo(subject).startsWith("=?UTF-8?");
    }

    @Test
    void shouldRoundTripAUtf8Body() throws Exception {
        String text = "Grüße, Zoë – 請求書";

        MimeMessage m = overTheWire(MimeMessages.build(session, email().text(text).build(), forcedPostmaster()));

        assertThat(m.getContent()).isEqualTo(text);
    }

    @Test
    void shouldSetADate() throws Exception {
        MimeMessage m = MimeMessages.build(session, email().build(), forcedPostmaster());

        assertThat(m.getSentDate()).isNotNull();
    }

    @Test
    void shouldCarryTheOneClickUnsubscribeHeadersOfRfc8058() throws Exception {
        String url = "https://lists.example.com/leave?u=bob%40example.com&sig=a1b2";
        MimeMessage m = overTheWire(MimeMessages.build(session,
                email().unsubscribe(io.github.kafkamailer.model.Unsubscribe.at(url)).build(), forcedPostmaster()));

        assertThat(m.getHeader("List-Unsubscribe")).containsExactly("<" + url + ">");
        assertThat(m.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
    }

    @Test
    void shouldCarryNoUnsubscribeHeadersWithoutUnsubscribe() throws Exception {
        MimeMessage m = overTheWire(MimeMessages.build(session, email().build(), forcedPostmaster()));

        assertThat(m.getHeader("List-Unsubscribe")).isNull();
        assertThat(m.getHeader("List-Unsubscribe-Post")).isNull();
    }

    @Test
    void shouldRefuseTheMailersOwnLinkNotMadeYet() {
        InvalidRecordException e = catchThrowableOfType(() -> MimeMessages.build(session,
                email().unsubscribe(io.github.kafkamailer.model.Unsubscribe.mailersOwn()).build(),
                forcedPostmaster()), InvalidRecordException.class);

        assertThat(e).hasMessageContaining("unsubscribe");
    }
}
