package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ConfigRules#parse} against the config tables of CONTRACT.md, one rule at a time. */
class ConfigRulesTest {

    /** The smallest valid record: an SMTP host and the postmaster that forcePostmaster (default true) needs. */
    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put("smtpHost", "smtp.example.com");
        m.put("postmaster", "donotreply@example.com");
        return m;
    }

    private static Map<String, Object> minimalWith(String field, Object value) {
        Map<String, Object> m = minimal();
        m.put(field, value);
        return m;
    }

    private static InvalidRecordException rejected(Map<String, ?> raw) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> ConfigRules.parse(raw));
        assertThat(e).as("record %s should be rejected", raw).isNotNull();
        return e;
    }

    private static List<String> fields(InvalidRecordException e) {
        return e.violations().stream().map(Violation::field).toList();
    }

    // --- defaults ---------------------------------------------------------------------------------------------

    @Test
    void shouldApplyEveryDefaultOfTheContract() {
        MailerConfig c = ConfigRules.parse(minimal());

        assertThat(c.enabled()).isFalse();
        assertThat(c.smtpHost()).isEqualTo("smtp.example.com");
        assertThat(c.smtpPort()).isEqualTo(25);
        assertThat(c.smtpUser()).isNull();
        assertThat(c.smtpPassword()).isNull();
        assertThat(c.useOAuth()).isFalse();
        assertThat(c.useGraphApi()).isFalse();
        assertThat(c.tenantId()).isNull();
        assertThat(c.clientId()).isNull();
        assertThat(c.clientSecret()).isNull();
        assertThat(c.startTls()).isFalse();
        assertThat(c.forcePostmaster()).isTrue();
        assertThat(c.maxErrorSeconds()).isEqualTo(86_400);
        assertThat(c.campaignIntervalSeconds()).isEqualTo(20);
        assertThat(c.retentionDays()).isEqualTo(30);
        assertThat(c.skipPendingOnStart()).isFalse();
        assertThat(c.smtpSsl()).isFalse();
        assertThat(c.smtpConnections()).isEqualTo(1);
        assertThat(c.maxEmailsPerMinute()).isNull();
        assertThat(c.authorityHost()).isEqualTo("https://login.microsoftonline.com");
        assertThat(c.graphBaseUrl()).isEqualTo("https://graph.microsoft.com/v1.0");
    }

    @Test
    void shouldFallBackToThePostmasterAsDraftMailboxWhenOutlookSenderIsAbsent() {
        MailerConfig c = ConfigRules.parse(minimal());

        assertThat(c.outlookSender()).isNull();
        assertThat(c.draftMailbox()).isEqualTo("donotreply@example.com");
    }

    @Test
    void shouldFallBackToThePostmasterAsDraftMailboxWhenOutlookSenderIsEmpty() {
        MailerConfig c = ConfigRules.parse(minimalWith("outlookSender", ""));

        assertThat(c.draftMailbox()).isEqualTo("donotreply@example.com");
    }

    @Test
    void shouldUseOutlookSenderAsDraftMailboxWhenGiven() {
        MailerConfig c = ConfigRules.parse(minimalWith("outlookSender", "drafts@example.com"));

        assertThat(c.draftMailbox()).isEqualTo("drafts@example.com");
    }

    @Test
    void shouldApplyTheDefaultWhenAFieldIsExplicitlyNull() {
        MailerConfig c = ConfigRules.parse(minimalWith("smtpPort", null));

        assertThat(c.smtpPort()).isEqualTo(25);
    }

    @Test
    void shouldTreatAnEmptySecretAsNoSecret() {
        MailerConfig c = ConfigRules.parse(minimalWith("smtpPassword", ""));

        assertThat(c.smtpPassword()).isNull();
    }

    @Test
    void shouldAcceptAFullValidRecord() {
        Map<String, Object> m = new HashMap<>();
        m.put("enabled", true);
        m.put("smtpHost", "smtp.office365.com");
        m.put("smtpPort", 587);
        m.put("smtpUser", "mailer@example.com");
        m.put("smtpPassword", "pw");
        m.put("useOAuth", true);
        m.put("useGraphApi", false);
        m.put("tenantId", "tid");
        m.put("clientId", "cid");
        m.put("clientSecret", "cs");
        m.put("startTls", true);
        m.put("postmaster", "donotreply@example.com");
        m.put("outlookSender", "drafts@example.com");
        m.put("forcePostmaster", false);
        m.put("maxErrorSeconds", 0);
        m.put("campaignIntervalSeconds", 1);
        m.put("retentionDays", 7);
        m.put("skipPendingOnStart", true);
        m.put("smtpSsl", false);
        m.put("smtpConnections", 16);
        m.put("maxEmailsPerMinute", 1);
        m.put("authorityHost", "https://login.microsoftonline.us");
        m.put("graphBaseUrl", "https://graph.microsoft.us/v1.0");

        MailerConfig c = ConfigRules.parse(m);

        assertThat(c.enabled()).isTrue();
        assertThat(c.smtpPort()).isEqualTo(587);
        assertThat(c.smtpPassword().reveal()).isEqualTo("pw");
        assertThat(c.clientSecret().reveal()).isEqualTo("cs");
        assertThat(c.useOAuth()).isTrue();
        assertThat(c.transportKind()).isEqualTo(TransportKind.SMTP_OAUTH);
        assertThat(c.hasGraphCredentials()).isTrue();
        assertThat(c.forcePostmaster()).isFalse();
        assertThat(c.maxErrorSeconds()).isZero();
        assertThat(c.campaignIntervalSeconds()).isEqualTo(1);
        assertThat(c.retentionDays()).isEqualTo(7);
        assertThat(c.smtpConnections()).isEqualTo(16);
        assertThat(c.maxEmailsPerMinute()).isEqualTo(1);
        assertThat(c.authorityHost()).isEqualTo("https://login.microsoftonline.us");
        assertThat(c.graphBaseUrl()).isEqualTo("https://graph.microsoft.us/v1.0");
    }

    @Test
    void shouldAcceptGraphWithoutSmtpHost() {
        Map<String, Object> m = new HashMap<>();
        m.put("useGraphApi", true);
        m.put("tenantId", "tid");
        m.put("clientId", "cid");
        m.put("clientSecret", "cs");
        m.put("postmaster", "donotreply@example.com");

        MailerConfig c = ConfigRules.parse(m);

        assertThat(c.smtpHost()).isNull();
        assertThat(c.transportKind()).isEqualTo(TransportKind.GRAPH);
    }

    @Test
    void shouldAcceptForcePostmasterFalseWithoutPostmaster() {
        MailerConfig c = ConfigRules.parse(Map.of("smtpHost", "smtp.example.com", "forcePostmaster", false));

        assertThat(c.postmaster()).isNull();
        assertThat(c.draftMailbox()).isNull();
    }

    @Test
    void shouldAcceptAWholeNumberWrittenAsADecimal() {
        MailerConfig c = ConfigRules.parse(minimalWith("smtpPort", 587.0));

        assertThat(c.smtpPort()).isEqualTo(587);
    }

    // --- unknown fields and types -----------------------------------------------------------------------------

    @Test
    void shouldRejectAnUnknownFieldNamingIt() {
        InvalidRecordException e = rejected(minimalWith("smtpHots", "smtp.example.com"));

        assertThat(e.violations()).containsExactly(new Violation("smtpHots", "unknown field"));
        assertThat(e.getMessage()).contains("smtpHots");
    }

    @ParameterizedTest
    @ValueSource(strings = {"enabled", "useOAuth", "useGraphApi", "startTls", "forcePostmaster",
            "skipPendingOnStart", "smtpSsl"})
    void shouldRejectABooleanFieldGivenAsAString(String field) {
        InvalidRecordException e = rejected(minimalWith(field, "true"));

        assertThat(fields(e)).containsExactly(field);
        assertThat(e.violations().get(0).reason()).contains("true or false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtpPort", "maxErrorSeconds", "campaignIntervalSeconds", "retentionDays",
            "smtpConnections", "maxEmailsPerMinute"})
    void shouldRejectAnIntFieldGivenAsAString(String field) {
        InvalidRecordException e = rejected(minimalWith(field, "25"));

        assertThat(fields(e)).containsExactly(field);
        assertThat(e.violations().get(0).reason()).contains("whole number");
    }

    @Test
    void shouldRejectAFractionalPort() {
        InvalidRecordException e = rejected(minimalWith("smtpPort", 25.5));

        assertThat(fields(e)).containsExactly("smtpPort");
    }

    @Test
    void shouldRejectAnIntFieldGivenAsABoolean() {
        InvalidRecordException e = rejected(minimalWith("smtpPort", true));

        assertThat(fields(e)).containsExactly("smtpPort");
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtpHost", "smtpUser", "tenantId", "clientId", "postmaster", "outlookSender",
            "authorityHost", "graphBaseUrl"})
    void shouldRejectAStringFieldGivenAsANumber(String field) {
        InvalidRecordException e = rejected(minimalWith(field, 42));

        assertThat(fields(e)).containsExactly(field);
        assertThat(e.violations().get(0).reason()).contains("must be a string");
    }

    @Test
    void shouldRejectAStringFieldGivenAsAnObjectOrList() {
        Map<String, Object> m = minimal();
        m.put("smtpHost", Map.of("a", 1));
        m.put("smtpUser", List.of("u"));

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactlyInAnyOrder("smtpHost", "smtpUser");
    }

    @Test
    void shouldRejectControlCharactersInAString() {
        InvalidRecordException e = rejected(minimalWith("smtpHost", "smtp.example.com\r\nX: y"));

        assertThat(fields(e)).containsExactly("smtpHost");
    }

    // --- bounds -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "smtpPort, 0",
            "smtpPort, 65536",
            "smtpPort, -1",
            "campaignIntervalSeconds, 0",
            "retentionDays, 0",
            "smtpConnections, 0",
            "smtpConnections, 17",
            "maxEmailsPerMinute, 0",
            "maxErrorSeconds, -1",
    })
    void shouldRejectAValueOutOfBounds(String field, long value) {
        InvalidRecordException e = rejected(minimalWith(field, value));

        assertThat(fields(e)).containsExactly(field);
        assertThat(e.violations().get(0).reason()).contains(Long.toString(value));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "smtpPort, 1",
            "smtpPort, 65535",
            "campaignIntervalSeconds, 1",
            "retentionDays, 1",
            "smtpConnections, 1",
            "smtpConnections, 16",
            "maxEmailsPerMinute, 1",
            "maxErrorSeconds, 0",
    })
    void shouldAcceptAValueOnTheBound(String field, int value) {
        MailerConfig c = ConfigRules.parse(minimalWith(field, value));

        assertThat(c.value(ConfigField.byJsonName(field))).isEqualTo(value);
    }

    @Test
    void shouldRejectANumberBeyondIntRangeInsteadOfWrappingIt() {
        InvalidRecordException e = rejected(minimalWith("maxErrorSeconds", 4_294_967_296L + 10));

        assertThat(fields(e)).containsExactly("maxErrorSeconds");
    }

    // --- rules that tie fields together -----------------------------------------------------------------------

    @Test
    void shouldRequireSmtpHostForSmtpSending() {
        InvalidRecordException e = rejected(Map.of("postmaster", "donotreply@example.com"));

        assertThat(fields(e)).containsExactly("smtpHost");
    }

    @Test
    void shouldRequireTenantClientIdAndSecretWithGraph() {
        InvalidRecordException e = rejected(minimalWith("useGraphApi", true));

        assertThat(fields(e)).containsExactlyInAnyOrder("tenantId", "clientId", "clientSecret");
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.reason()).contains("useGraphApi"));
    }

    @Test
    void shouldRequireOnlyTheMissingGraphCredential() {
        Map<String, Object> m = minimalWith("useGraphApi", true);
        m.put("tenantId", "tid");
        m.put("clientId", "cid");

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactly("clientSecret");
    }

    @Test
    void shouldRequireCredentialsAndSmtpUserWithOAuth() {
        InvalidRecordException e = rejected(minimalWith("useOAuth", true));

        assertThat(fields(e)).containsExactlyInAnyOrder("smtpUser", "tenantId", "clientId", "clientSecret");
    }

    @Test
    void shouldRequireSmtpUserWithOAuth() {
        Map<String, Object> m = minimalWith("useOAuth", true);
        m.put("tenantId", "tid");
        m.put("clientId", "cid");
        m.put("clientSecret", "cs");

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactly("smtpUser");
    }

    @Test
    void shouldRejectSmtpSslTogetherWithStartTls() {
        Map<String, Object> m = minimalWith("smtpSsl", true);
        m.put("startTls", true);

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactly("smtpSsl");
        assertThat(e.violations().get(0).reason()).contains("startTls");
    }

    @Test
    void shouldRequirePostmasterWhenForcePostmasterIsTrue() {
        InvalidRecordException e = rejected(Map.of("smtpHost", "smtp.example.com", "forcePostmaster", true));

        assertThat(fields(e)).containsExactly("postmaster");
    }

    @Test
    void shouldRequirePostmasterWhenForcePostmasterIsLeftToItsDefault() {
        InvalidRecordException e = rejected(Map.of("smtpHost", "smtp.example.com"));

        assertThat(fields(e)).containsExactly("postmaster");
    }

    @ParameterizedTest
    @ValueSource(strings = {"donotreply", "donotreply@", "@example.com", "a b@example.com", "a@exa_mple.com",
            "a@@example.com", "a@-example.com"})
    void shouldRejectAMalformedPostmaster(String address) {
        InvalidRecordException e = rejected(minimalWith("postmaster", address));

        assertThat(fields(e)).containsExactly("postmaster");
    }

    @Test
    void shouldRejectAMalformedOutlookSender() {
        InvalidRecordException e = rejected(minimalWith("outlookSender", "not-an-address"));

        assertThat(fields(e)).containsExactly("outlookSender");
    }

    @Test
    void shouldAcceptAPostmasterWithADisplayName() {
        MailerConfig c = ConfigRules.parse(minimalWith("postmaster", "No Reply <donotreply@example.com>"));

        assertThat(c.postmaster()).isEqualTo("No Reply <donotreply@example.com>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://login.microsoftonline.com", "login.microsoftonline.com", "ftp://host",
            "https://", "https:///path", "not a url"})
    void shouldRejectANonHttpsAuthorityHost(String url) {
        InvalidRecordException e = rejected(minimalWith("authorityHost", url));

        assertThat(fields(e)).containsExactly("authorityHost");
    }

    @Test
    void shouldRejectANonHttpsGraphBaseUrl() {
        InvalidRecordException e = rejected(minimalWith("graphBaseUrl", "http://graph.microsoft.com/v1.0"));

        assertThat(fields(e)).containsExactly("graphBaseUrl");
    }

    // --- several violations at once ---------------------------------------------------------------------------

    @Test
    void shouldReportEveryFieldViolationAtOnce() {
        Map<String, Object> m = minimal();
        m.put("smtpPort", 0);
        m.put("enabled", "yes");
        m.put("retentionDays", 0);
        m.put("postmaster", "nobody");
        m.put("authorityHost", "http://login.example.com");
        m.put("colour", "blue");

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactlyInAnyOrder("smtpPort", "enabled", "retentionDays", "postmaster",
                "authorityHost", "colour");
        assertThat(e.getMessage()).contains("smtpPort", "enabled", "retentionDays", "postmaster", "authorityHost",
                "colour");
    }

    @Test
    void shouldReportEveryCrossFieldViolationAtOnce() {
        Map<String, Object> m = new HashMap<>();
        m.put("useOAuth", true);
        m.put("smtpSsl", true);
        m.put("startTls", true);

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactlyInAnyOrder("smtpHost", "smtpUser", "tenantId", "clientId",
                "clientSecret", "smtpSsl", "postmaster");
    }

    @Test
    void shouldReportFieldAndCrossFieldViolationsTogether() {
        // An admin fixing smtpPort should not discover only afterwards that smtpHost and postmaster are missing
        // (ConfigRules' and InvalidRecordException's javadoc: every violation at once).
        InvalidRecordException e = rejected(Map.of("smtpPort", 0));

        assertThat(fields(e)).containsExactlyInAnyOrder("smtpPort", "smtpHost", "postmaster");
    }

    // --- secrets ----------------------------------------------------------------------------------------------

    @Test
    void shouldNeverEchoAMistypedSecret() {
        Map<String, Object> m = minimal();
        m.put("smtpPassword", 987654321);
        m.put("clientSecret", 123456789.5);

        InvalidRecordException e = rejected(m);

        assertThat(fields(e)).containsExactlyInAnyOrder("smtpPassword", "clientSecret");
        assertThat(e.getMessage()).doesNotContain("987654321", "123456789");
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.reason()).doesNotContain("987654321", "123456789"));
    }

    @Test
    void shouldNeverEchoASecretWithControlCharacters() {
        InvalidRecordException e = rejected(minimalWith("smtpPassword", "hunter2\n"));

        assertThat(fields(e)).containsExactly("smtpPassword");
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void shouldKeepSecretsOutOfToString() {
        Map<String, Object> m = minimal();
        m.put("smtpPassword", "s3cr3t-password");
        m.put("tenantId", "tid");
        m.put("clientId", "cid");
        m.put("clientSecret", "s3cr3t-client");

        MailerConfig c = ConfigRules.parse(m);

        assertThat(c.toString()).doesNotContain("s3cr3t").contains(Secret.REDACTED);
        assertThat(c.smtpPassword().toString()).isEqualTo(Secret.REDACTED);
    }

    @Test
    void shouldKeepSecretsOutOfTheRedactedFieldMap() {
        Map<String, Object> m = minimal();
        m.put("smtpPassword", "s3cr3t-password");
        m.put("tenantId", "tid");
        m.put("clientId", "cid");
        m.put("clientSecret", "s3cr3t-client");

        Map<String, Object> fields = ConfigRules.parse(m).toFieldMap(true);

        assertThat(fields.values()).doesNotContain("s3cr3t-password", "s3cr3t-client");
        assertThat(String.valueOf(fields)).doesNotContain("s3cr3t");
        assertThat(fields).containsEntry("smtpPassword", Secret.REDACTED).containsEntry("clientSecret", Secret.REDACTED);
    }

    @Test
    void shouldListEveryFieldInTheFieldMap() {
        Map<String, Object> fields = ConfigRules.parse(minimal()).toFieldMap(true);

        assertThat(fields.keySet()).containsExactly(
                java.util.Arrays.stream(ConfigField.values()).map(ConfigField::jsonName).toArray(String[]::new));
        assertThat(fields).containsEntry("smtpPassword", null);
    }

    // --- bounce mailbox (CONTRACT.md, "Bounces") -----------------------------------------------------------------

    @Test
    void shouldApplyTheBounceMailboxDefaults() {
        MailerConfig c = ConfigRules.parse(minimal());

        assertThat(c.bounceImapHost()).isNull();
        assertThat(c.readsBounces()).isFalse();
        assertThat(c.bounceImapPort()).isEqualTo(993);
        assertThat(c.bounceImapSsl()).isTrue();
        assertThat(c.bounceImapStartTls()).isFalse();
        assertThat(c.bouncePollSeconds()).isEqualTo(60);
    }

    @Test
    void shouldRequireBounceUserAndPasswordWithTheBounceHost() {
        InvalidRecordException e = rejected(minimalWith("bounceImapHost", "imap.example.com"));

        assertThat(fields(e)).containsExactlyInAnyOrder("bounceImapUser", "bounceImapPassword");
    }

    @Test
    void shouldAcceptABounceMailboxAndKeepItsPasswordSecret() {
        Map<String, Object> m = minimalWith("bounceImapHost", "imap.example.com");
        m.put("bounceImapUser", "bounces@example.com");
        m.put("bounceImapPassword", "s3cret-imap");
        m.put("bounceImapSsl", false);
        m.put("bounceImapStartTls", true);
        m.put("bounceImapPort", 143);
        m.put("bouncePollSeconds", 5);

        MailerConfig c = ConfigRules.parse(m);

        assertThat(c.readsBounces()).isTrue();
        assertThat(c.bounceImapPassword().reveal()).isEqualTo("s3cret-imap");
        assertThat(c.toString()).doesNotContain("s3cret-imap");
        assertThat(c.toFieldMap(true)).containsEntry("bounceImapPassword", Secret.REDACTED)
                .containsEntry("bounceImapPort", 143).containsEntry("bouncePollSeconds", 5);
        assertThat(c.withSecrets(c.smtpPassword(), c.clientSecret())).isEqualTo(c);
    }

    @Test
    void shouldRejectABouncePollBelowFiveSeconds() {
        assertThat(fields(rejected(minimalWith("bouncePollSeconds", 4)))).containsExactly("bouncePollSeconds");
    }
}
