package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.kafkamailer.json.EmailEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link EmailRules#parse} and {@link EmailEventJson#parse} against CONTRACT.md's "Email event". */
class EmailRulesTest {
    private static final byte[] PDF = "%PDF-1.4 a tiny pdf".getBytes(StandardCharsets.US_ASCII);
    private static final String PDF_BASE64 = Base64.getEncoder().encodeToString(PDF);

    private static final String CONTRACT_EXAMPLE = """
            {
              "id": "inv-2026-0042",
              "tenant": "default",
              "from": "alice@example.com",
              "to": ["bob@example.com"],
              "cc": [],
              "bcc": [],
              "replyTo": ["alice@example.com"],
              "subject": "Invoice 2026-0042",
              "text": "Plain text body",
              "html": "<p>HTML body</p>",
              "attachments": [{"filename": "invoice.pdf", "contentType": "application/pdf", "contentBase64": "%s"}],
              "headers": {"X-Campaign": "november"},
              "mode": "SEND",
              "createdAt": "2026-11-26T10:00:00Z"
            }
            """.formatted(PDF_BASE64);

    /** The smallest valid event as a decoded JSON object. */
    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put("id", "e-1");
        m.put("to", List.of("bob@example.com"));
        m.put("subject", "Hello");
        m.put("text", "Hi Bob");
        return m;
    }

    private static Map<String, Object> minimalWith(String field, Object value) {
        Map<String, Object> m = minimal();
        m.put(field, value);
        return m;
    }

    private static InvalidRecordException rejected(Map<String, ?> raw) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> EmailRules.parse(raw));
        assertThat(e).as("event should be rejected").isNotNull();
        return e;
    }

    private static InvalidRecordException rejectedJson(String json) {
        return rejectedBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    private static InvalidRecordException rejectedBytes(byte[] bytes) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> EmailEventJson.parse(bytes));
        assertThat(e).as("bytes should be rejected").isNotNull();
        return e;
    }

    private static List<String> fields(InvalidRecordException e) {
        return e.violations().stream().map(Violation::field).toList();
    }

    // --- valid events -----------------------------------------------------------------------------------------

    @Test
    void shouldParseTheContractExample() {
        EmailEvent e = EmailEventJson.parse(CONTRACT_EXAMPLE.getBytes(StandardCharsets.UTF_8));

        assertThat(e.id()).isEqualTo("inv-2026-0042");
        assertThat(e.tenant()).isEqualTo("default");
        assertThat(e.from()).isEqualTo("alice@example.com");
        assertThat(e.to()).containsExactly("bob@example.com");
        assertThat(e.cc()).isEmpty();
        assertThat(e.bcc()).isEmpty();
        assertThat(e.replyTo()).containsExactly("alice@example.com");
        assertThat(e.subject()).isEqualTo("Invoice 2026-0042");
        assertThat(e.text()).isEqualTo("Plain text body");
        assertThat(e.html()).isEqualTo("<p>HTML body</p>");
        assertThat(e.attachments()).containsExactly(new Attachment("invoice.pdf", "application/pdf", PDF_BASE64));
        assertThat(e.headers()).containsExactly(Map.entry("X-Campaign", "november"));
        assertThat(e.mode()).isEqualTo(Mode.SEND);
        assertThat(e.createdAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(e.recipientCount()).isEqualTo(1);
    }

    @Test
    void shouldDefaultTenantModeAndCreatedAt() {
        EmailEvent e = EmailRules.parse(minimal());

        assertThat(e.tenant()).isEqualTo(EmailEvent.DEFAULT_TENANT).isEqualTo("default");
        assertThat(e.mode()).isEqualTo(Mode.SEND);
        assertThat(e.createdAt()).isNull();
        assertThat(e.from()).isNull();
        assertThat(e.attachments()).isEmpty();
        assertThat(e.headers()).isEmpty();
    }

    @Test
    void shouldFillAMissingCreatedAtFromTheRecordTimestamp() {
        Instant timestamp = Instant.parse("2026-01-02T03:04:05Z");

        EmailEvent e = EmailRules.parse(minimal()).withCreatedAtIfAbsent(timestamp);

        assertThat(e.createdAt()).isEqualTo(timestamp);
    }

    @Test
    void shouldAcceptDraftMode() {
        assertThat(EmailRules.parse(minimalWith("mode", "DRAFT")).mode()).isEqualTo(Mode.DRAFT);
    }

    @Test
    void shouldAcceptOnlyHtml() {
        Map<String, Object> m = minimal();
        m.remove("text");
        m.put("html", "<p>Hi</p>");

        assertThat(EmailRules.parse(m).html()).isEqualTo("<p>Hi</p>");
    }

    @Test
    void shouldAcceptARecipientInBccOnly() {
        Map<String, Object> m = minimal();
        m.remove("to");
        m.put("bcc", List.of("hidden@example.com"));

        assertThat(EmailRules.parse(m).bcc()).containsExactly("hidden@example.com");
    }

    @Test
    void shouldAcceptAnAddressWithADisplayName() {
        EmailEvent e = EmailRules.parse(minimalWith("to", List.of("Bob Smith <bob@example.com>")));

        assertThat(e.to()).containsExactly("Bob Smith <bob@example.com>");
    }

    @Test
    void shouldAcceptACreatedAtWithAnOffset() {
        EmailEvent e = EmailRules.parse(minimalWith("createdAt", "2026-11-26T11:00:00+01:00"));

        assertThat(e.createdAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void shouldAcceptAnAttachmentWithoutContentTypeAsOctetStream() {
        EmailEvent e = EmailRules.parse(minimalWith("attachments",
                List.of(Map.of("filename", "a.bin", "contentBase64", PDF_BASE64))));

        assertThat(e.attachments().get(0).contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void shouldAcceptLineWrappedBase64() {
        String wrapped = Base64.getMimeEncoder().encodeToString(new byte[200]);
        assertThat(wrapped).contains("\r\n");

        EmailEvent e = EmailRules.parse(minimalWith("attachments",
                List.of(Map.of("filename", "zeros.bin", "contentBase64", wrapped))));

        assertThat(e.attachments()).hasSize(1);
    }

    // --- required fields --------------------------------------------------------------------------------------

    @Test
    void shouldRejectAMissingId() {
        Map<String, Object> m = minimal();
        m.remove("id");

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactly("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "a\nb"})
    void shouldRejectABlankOrControlId(String id) {
        assertThat(fields(rejected(minimalWith("id", id)))).containsExactly("id");
    }

    @Test
    void shouldRejectAnOverlongId() {
        assertThat(fields(rejected(minimalWith("id", "x".repeat(EmailRules.MAX_ID_LENGTH + 1)))))
                .containsExactly("id");
    }

    @Test
    void shouldRejectAnEventWithoutRecipient() {
        Map<String, Object> m = minimal();
        m.remove("to");

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactly("to");
        assertThat(e.getMessage()).contains("recipient");
    }

    @Test
    void shouldRejectAnEventWithEmptyRecipientLists() {
        Map<String, Object> m = minimalWith("to", List.of());
        m.put("cc", List.of());
        m.put("bcc", List.of());

        assertThat(fields(rejected(m))).containsExactly("to");
    }

    @Test
    void shouldRejectAMissingSubject() {
        Map<String, Object> m = minimal();
        m.remove("subject");

        assertThat(fields(rejected(m))).containsExactly("subject");
    }

    @Test
    void shouldRejectAnEventWithoutBody() {
        Map<String, Object> m = minimal();
        m.remove("text");

        assertThat(fields(rejected(m))).containsExactly("text");
    }

    // --- addresses --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"to", "cc", "bcc", "replyTo"})
    void shouldRejectAnInvalidAddressNamingItsIndex(String field) {
        Map<String, Object> m = minimal();
        m.put(field, List.of("ok@example.com", "not-an-address", "also@example.com"));

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactly(field + "[1]");
        assertThat(e.violations().get(0).reason()).contains("not-an-address");
    }

    @Test
    void shouldRejectEveryInvalidAddressOfAList() {
        InvalidRecordException e = rejected(minimalWith("to", List.of("x", "bob@example.com", "y@", "@z")));

        assertThat(fields(e)).containsExactly("to[0]", "to[2]", "to[3]");
    }

    @Test
    void shouldRejectAnInvalidFrom() {
        InvalidRecordException e = rejected(minimalWith("from", "alice at example.com"));

        assertThat(fields(e)).containsExactly("from");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@example.com\r\nBcc: victim@example.com", "bob@exam ple.com", "bob@", "",
            "bob@example..com", "Bob <bob@example.com"})
    void shouldRejectMalformedRecipients(String address) {
        assertThat(fields(rejected(minimalWith("to", List.of(address))))).containsExactly("to[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Smith, Bob <bob@example.com>", "\"Bob <bob@example.com>"})
    void shouldRejectADisplayNameThatIsNotRfc5322(String address) {
        assertThat(fields(rejected(minimalWith("to", List.of(address))))).containsExactly("to[0]");
    }

    @Test
    void shouldRejectANonStringAddressNamingItsIndex() {
        InvalidRecordException e = rejected(minimalWith("cc", java.util.Arrays.asList("a@example.com", 42, null)));

        assertThat(fields(e)).containsExactly("cc[1]", "cc[2]");
    }

    // --- subject and headers ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"Hello\r\nBcc: victim@example.com", "Hello\nWorld", "Hello\rWorld", "Tab\tbed"})
    void shouldRejectControlCharactersInTheSubject(String subject) {
        assertThat(fields(rejected(minimalWith("subject", subject)))).containsExactly("subject");
    }

    @Test
    void shouldRejectA100KilobyteSubjectWithoutEchoingIt() {
        String subject = "s".repeat(100 * 1024);

        InvalidRecordException e = rejected(minimalWith("subject", subject));

        assertThat(fields(e)).containsExactly("subject");
        assertThat(e.getMessage()).hasSizeLessThan(500);
    }

    @Test
    void shouldAcceptASubjectOfTheMaximumLength() {
        String subject = "s".repeat(EmailRules.MAX_SUBJECT_LENGTH);

        assertThat(EmailRules.parse(minimalWith("subject", subject)).subject()).isEqualTo(subject);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nBcc: victim@example.com", "a\nb", "a\rb"})
    void shouldRejectCrOrLfInAHeaderValue(String value) {
        InvalidRecordException e = rejected(minimalWith("headers", Map.of("X-Campaign", value)));

        assertThat(fields(e)).containsExactly("headers.X-Campaign");
    }

    @Test
    void shouldRejectCrOrLfInAHeaderName() {
        InvalidRecordException e = rejected(minimalWith("headers", Map.of("X-A\r\nBcc", "v")));

        assertThat(e.violations()).hasSize(1);
        assertThat(e.violations().get(0).field()).startsWith("headers.").doesNotContain("\r", "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X Space", "X:Colon", ""})
    void shouldRejectAMalformedHeaderName(String name) {
        InvalidRecordException e = rejected(minimalWith("headers", Map.of(name, "v")));

        assertThat(e.violations()).hasSize(1);
        assertThat(e.violations().get(0).field()).startsWith("headers.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Subject", "subject", "From", "To", "Cc", "Bcc", "Reply-To", "Message-ID", "Date",
            "Content-Type", "MIME-Version", "Sender", "Content-Transfer-Encoding", "Resent-From", "resent-to",
            "Resent-Message-ID", "Disposition-Notification-To", "Content-Disposition", "X-Mailer-Email-Id",
            "x-mailer-email-id"})
    void shouldRejectAReservedHeader(String name) {
        InvalidRecordException e = rejected(minimalWith("headers", Map.of(name, "v")));

        assertThat(fields(e)).containsExactly("headers." + name);
        assertThat(e.violations().get(0).reason()).contains("set by the mailer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"invoice\u202Efdp.exe", "a\u202Ab.pdf", "x\u2066y.pdf", "x\u2069.pdf"})
    void shouldRejectAnAttachmentNameThatHidesItsExtension(String name) {
        InvalidRecordException e = rejected(minimalWith("attachments",
                List.of(Map.of("filename", name, "contentBase64", PDF_BASE64))));

        assertThat(fields(e)).containsExactly("attachments[0].filename");
        assertThat(e.violations().get(0).reason()).contains("bidirectional");
    }

    @Test
    void shouldKeepAnArabicOrHebrewAttachmentName() {
        assertThat(EmailRules.parse(minimalWith("attachments",
                List.of(Map.of("filename", "\u0641\u0627\u062a\u0648\u0631\u0629.pdf", "contentBase64", PDF_BASE64))))
                .attachments()).hasSize(1);
    }

    @Test
    void shouldRejectANonStringHeaderValue() {
        assertThat(fields(rejected(minimalWith("headers", Map.of("X-Count", 3))))).containsExactly("headers.X-Count");
    }

    @Test
    void shouldRejectHeadersGivenAsAList() {
        assertThat(fields(rejected(minimalWith("headers", List.of("X-A: b"))))).containsExactly("headers");
    }

    // --- mode, attachments, createdAt -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"PUBLISH", "send", "Draft", ""})
    void shouldRejectAnUnknownMode(String mode) {
        InvalidRecordException e = rejected(minimalWith("mode", mode));

        assertThat(fields(e)).containsExactly("mode");
        assertThat(e.violations().get(0).reason()).contains("SEND or DRAFT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "%%%%", "a", "QUJD*RA==", "QUJDRA==="})
    void shouldRejectAttachmentContentThatIsNotBase64(String content) {
        InvalidRecordException e = rejected(minimalWith("attachments",
                List.of(Map.of("filename", "a.pdf", "contentType", "application/pdf", "contentBase64", content))));

        assertThat(fields(e)).containsExactly("attachments[0].contentBase64");
    }

    @Test
    void shouldRejectAnAttachmentWithoutFilenameOrContent() {
        InvalidRecordException e = rejected(minimalWith("attachments", List.of(Map.of("contentType", "text/plain"))));

        assertThat(fields(e)).containsExactlyInAnyOrder("attachments[0].filename", "attachments[0].contentBase64");
    }

    @Test
    void shouldRejectAnUnknownAttachmentField() {
        InvalidRecordException e = rejected(minimalWith("attachments",
                List.of(Map.of("filename", "a.pdf", "contentBase64", PDF_BASE64, "size", 3))));

        assertThat(fields(e)).containsExactly("attachments[0].size");
    }

    @Test
    void shouldRejectAnAttachmentThatIsNotAnObject() {
        assertThat(fields(rejected(minimalWith("attachments", List.of("a.pdf")))))
                .containsExactly("attachments[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-11-26", "2026-11-26 10:00:00", "2026-13-01T00:00:00Z"})
    void shouldRejectABadCreatedAt(String createdAt) {
        InvalidRecordException e = rejected(minimalWith("createdAt", createdAt));

        assertThat(fields(e)).containsExactly("createdAt");
    }

    @Test
    void shouldRejectACreatedAtGivenAsANumber() {
        assertThat(fields(rejected(minimalWith("createdAt", 1_764_151_200_000L)))).containsExactly("createdAt");
    }

    // --- unknown fields and types -----------------------------------------------------------------------------

    @Test
    void shouldRejectAnUnknownFieldNamingIt() {
        InvalidRecordException e = rejected(minimalWith("urgency", "high"));

        assertThat(e.violations()).containsExactly(new Violation("urgency", "unknown field"));
    }

    // --- priority -----------------------------------------------------------------------------------------------

    @Test
    void shouldDefaultPriorityToNormalAndAcceptHigh() {
        assertThat(EmailRules.parse(minimalWith("priority", "NORMAL")).priority()).isEqualTo(Priority.NORMAL);
        assertThat(EmailRules.parse(minimalWith("priority", "HIGH")).priority()).isEqualTo(Priority.HIGH);
        assertThat(EmailRules.parse(minimalWith("mode", "SEND")).priority()).isEqualTo(Priority.NORMAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"high", "URGENT", ""})
    void shouldRejectAnUnknownPriorityNamingTheValues(String priority) {
        InvalidRecordException e = rejected(minimalWith("priority", priority));

        assertThat(e.violations()).containsExactly(new Violation("priority",
                "must be NORMAL or HIGH, got '" + priority + "'"));
    }

    @Test
    void shouldRejectAPriorityGivenAsANumber() {
        assertThat(fields(rejected(minimalWith("priority", 1)))).containsExactly("priority");
    }

    @Test
    void shouldRejectToGivenAsAString() {
        InvalidRecordException e = rejected(minimalWith("to", "bob@example.com"));

        assertThat(fields(e)).containsExactly("to");
        assertThat(e.violations().get(0).reason()).contains("list");
    }

    @Test
    void shouldRejectSubjectGivenAsANumber() {
        InvalidRecordException e = rejected(minimalWith("subject", 42));

        assertThat(fields(e)).containsExactly("subject");
        assertThat(e.violations().get(0).reason()).contains("must be a string");
    }

    @Test
    void shouldRejectIdGivenAsANumber() {
        assertThat(fields(rejected(minimalWith("id", 42)))).containsExactly("id");
    }

    @Test
    void shouldRejectTenantGivenAsAnObject() {
        assertThat(fields(rejected(minimalWith("tenant", Map.of("name", "t"))))).containsExactly("tenant");
    }

    @Test
    void shouldReportSeveralViolationsAtOnce() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("to", List.of("bad"));
        m.put("subject", "a\nb");
        m.put("text", "body");
        m.put("mode", "LATER");
        m.put("extra", true);

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactlyInAnyOrder("extra", "id", "to[0]", "subject", "mode");
    }

    // --- bytes that are no email event ------------------------------------------------------------------------

    @Test
    void shouldParseTheSameFromBytesAndFromAMap() {
        String json = "{\"id\":\"e-1\",\"to\":[\"bob@example.com\"],\"subject\":\"Hello\",\"text\":\"Hi Bob\"}";

        assertThat(EmailEventJson.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(EmailRules.parse(minimal()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{", "{\"id\": }", "{\"id\":\"e-1\"} trailing", "", "   ", "null", "42",
            "\"a string\""})
    void shouldRejectBytesThatAreNotAJsonObject(String value) {
        InvalidRecordException e = rejectedJson(value);

        assertThat(fields(e)).containsExactly("value");
    }

    @Test
    void shouldRejectAJsonArray() {
        InvalidRecordException e = rejectedJson("[" + CONTRACT_EXAMPLE + "]");

        assertThat(fields(e)).containsExactly("value");
        assertThat(e.getMessage()).contains("not a JSON object");
    }

    @Test
    void shouldRejectANullValue() {
        InvalidRecordException e = rejectedBytes(null);

        assertThat(fields(e)).containsExactly("value");
    }

    @Test
    void shouldRejectNulBytes() {
        InvalidRecordException e = rejectedBytes(new byte[16]);

        assertThat(fields(e)).containsExactly("value");
    }

    @Test
    void shouldRejectANulCharacterInsideTheSubject() {
        String json = "{\"id\":\"e-1\",\"to\":[\"bob@example.com\"],\"subject\":\"He\\u0000llo\",\"text\":\"t\"}";

        assertThat(fields(rejectedJson(json))).containsExactly("subject");
    }

    @Test
    void shouldRejectInvalidUtf8() {
        byte[] bytes = "{\"id\":\"e-1\",\"to\":[\"bob@example.com\"],\"subject\":\"X\",\"text\":\"t\"}"
                .getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 3] = (byte) 0xC3; // "t" becomes a lead byte without its continuation byte

        assertThat(fields(rejectedBytes(bytes))).containsExactly("value");
    }

    @Test
    void shouldRejectDuplicateKeys() {
        String json = "{\"id\":\"e-1\",\"to\":[\"bob@example.com\"],\"subject\":\"a\",\"subject\":\"b\",\"text\":\"t\"}";

        InvalidRecordException e = rejectedJson(json);

        assertThat(fields(e)).containsExactly("value");
        assertThat(e.getMessage()).contains("subject");
    }

    @Test
    void shouldReportTypeErrorsFromJsonBytes() {
        String json = "{\"id\":\"e-1\",\"to\":\"bob@example.com\",\"subject\":42,\"text\":\"t\"}";

        assertThat(fields(rejectedJson(json))).containsExactlyInAnyOrder("to", "subject");
    }

    // --- unsubscribe (RFC 8058) ----------------------------------------------------------------------------

    @Test
    void shouldReadAnHttpsUnsubscribeUrl() {
        String url = "https://lists.example.com/leave/abc?x=1";
        EmailEvent e = EmailRules.parse(minimalWith("unsubscribe", Map.of("url", url)));

        assertThat(e.unsubscribe()).isEqualTo(Unsubscribe.at(url));
        assertThat(e.unsubscribe().isMailersOwn()).isFalse();
    }

    @Test
    void shouldReadTrueAsTheMailersOwnLinkForOneRecipient() {
        EmailEvent e = EmailEventJson.parse("""
                {"id": "u-1", "bcc": ["bob@example.com"], "subject": "News", "text": "Hi", "unsubscribe": true}
                """.getBytes(StandardCharsets.UTF_8));

        assertThat(e.unsubscribe().isMailersOwn()).isTrue();
    }

    @Test
    void shouldHaveNoUnsubscribeWhenAbsent() {
        assertThat(EmailRules.parse(minimal()).unsubscribe()).isNull();
    }

    @Test
    void shouldRefuseAnUnsubscribeUrlThatIsNotHttps() {
        for (String url : List.of("http://lists.example.com/leave", "mailto:leave@example.com", "ftp://x.example/a",
                "/unsubscribe/abc", "https:///no-host", "https://lists.example.com/a b", "https://x.example/<a>",
                "https://x.example/" + "a".repeat(EmailRules.MAX_UNSUBSCRIBE_URL_LENGTH))) {
            InvalidRecordException e = rejected(minimalWith("unsubscribe", Map.of("url", url)));

            assertThat(fields(e)).as(url).containsExactly("unsubscribe.url");
        }
        assertThat(rejected(minimalWith("unsubscribe", Map.of("url", "http://lists.example.com/leave"))))
                .hasMessageContaining("https");
    }

    @Test
    void shouldRefuseTrueWithSeveralRecipients() {
        Map<String, Object> m = minimalWith("unsubscribe", true);
        m.put("cc", List.of("carol@example.com"));

        InvalidRecordException e = rejected(m);

        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("unsubscribe");
            assertThat(v.reason()).contains("exactly one recipient").contains("got 2");
        });
    }

    @Test
    void shouldRefuseOtherShapesOfUnsubscribe() {
        assertThat(fields(rejected(minimalWith("unsubscribe", false)))).containsExactly("unsubscribe");
        assertThat(fields(rejected(minimalWith("unsubscribe", "https://x.example/u")))).containsExactly("unsubscribe");
        assertThat(fields(rejected(minimalWith("unsubscribe", Map.of())))).containsExactly("unsubscribe.url");
        assertThat(fields(rejected(minimalWith("unsubscribe", Map.of("url", "https://x.example/u", "post", true)))))
                .containsExactly("unsubscribe.post");
    }

    @Test
    void shouldRefuseListUnsubscribeHeadersBesideUnsubscribe() {
        Map<String, Object> m = minimalWith("unsubscribe", Map.of("url", "https://x.example/u"));
        m.put("headers", Map.of("List-Unsubscribe", "<https://other.example/u>"));

        assertThat(fields(rejected(m))).containsExactly("headers.List-Unsubscribe");
    }

    @Test
    void shouldKeepUnsubscribeThroughTheCodecAndAPartialRetryCopy() {
        EmailEvent own = EmailRules.parse(minimalWith("unsubscribe", true));
        EmailEvent url = EmailRules.parse(minimalWith("unsubscribe", Map.of("url", "https://x.example/u")));

        assertThat(EmailEventJson.parse(EmailEventJson.write(own))).isEqualTo(own);
        assertThat(EmailEventJson.parse(EmailEventJson.write(url))).isEqualTo(url);
        assertThat(url.withOnlyRecipients(List.of("bob@example.com")).unsubscribe()).isEqualTo(url.unsubscribe());
        assertThat(url.withCreatedAtIfAbsent(java.time.Instant.EPOCH).unsubscribe()).isEqualTo(url.unsubscribe());
    }
}
