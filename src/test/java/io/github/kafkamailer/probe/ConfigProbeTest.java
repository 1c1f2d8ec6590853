package io.github.kafkamailer.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import io.github.kafkamailer.testing.TestTls;
import io.github.kafkamailer.transport.graph.GraphStandIn;
import io.github.kafkamailer.transport.oauth.MsalTokenSource;
import io.github.kafkamailer.transport.oauth.TokenSource;
import io.github.kafkamailer.transport.oauth.TokenStandIn;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code config test}'s steps against real servers: GreenMail (SMTP, SMTPS, XOAUTH2), our faulty SMTP server, HTTPS stand-ins. */
class ConfigProbeTest {
    private static final String PASSWORD = "pw-never-shown-42";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static GreenMail greenMail;
    private FaultySmtpServer faulty;

    @BeforeAll
    static void startGreenMail() {
        System.setProperty("greenmail.tls.keystore.file", TestTls.serverKeystore().toString());
        System.setProperty("greenmail.tls.keystore.password", TestTls.PASSWORD);
        System.setProperty("greenmail.tls.key.password", TestTls.PASSWORD);
        ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
        ServerSetup smtps = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort();
        // GreenMail's 2 s to start was seen too short for SMTPS (its TLS set-up) on a busy two-core machine.
        smtp.setServerStartupTimeout(15_000);
        smtps.setServerStartupTimeout(15_000);
        greenMail = new GreenMail(new ServerSetup[] {smtp, smtps})
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer@contoso.example", "token-xyz-1"));
        greenMail.start();
    }

    @AfterAll
    static void stopGreenMail() {
        greenMail.stop();
        System.clearProperty("greenmail.tls.keystore.file");
        System.clearProperty("greenmail.tls.keystore.password");
        System.clearProperty("greenmail.tls.key.password");
    }

    @BeforeEach
    void startFaulty() {
        faulty = new FaultySmtpServer().start();
    }

    @AfterEach
    void stopFaulty() {
        faulty.close();
    }

    private static MailerConfig config(Map<String, Object> fields) {
        Map<String, Object> c = new HashMap<>(Map.of("enabled", true, "smtpHost", "127.0.0.1",
                "postmaster", "noreply@example.com"));
        c.putAll(fields);
        return ConfigRules.parse(c);
    }

    private static ConfigProbe probe(SSLSocketFactory tls) {
        return new ConfigProbe(new MsalTokenSource(Clock.systemUTC(), TestTls.socketFactory()), tls,
                Clock.systemUTC(), TIMEOUT);
    }

    private static ConfigProbe probe() {
        return probe(TestTls.socketFactory());
    }

    private static List<String> names(ProbeReport r) {
        return r.steps().stream().map(s -> s.name() + (s.ok() ? "" : "!")).toList();
    }

    private static String details(ProbeReport r) {
        return r.steps().toString();
    }

    @Test
    void shouldConnectAndSendATestEmailInPlainSmtp() throws Exception {
        ProbeReport r = probe().run(config(Map.of("smtpPort", greenMail.getSmtp().getPort())), "bob@example.com");
        assertThat(names(r)).as(details(r)).containsExactly("DNS", "CONNECT", "AUTH", "SEND");
        assertThat(r.ok()).isTrue();
        assertThat(r.steps().get(0).detail()).contains("127.0.0.1");
        assertThat(r.steps().get(3).detail()).contains("to bob@example.com").contains("250");
        assertThat(greenMail.getReceivedMessagesForDomain("example.com"))
                .anySatisfy(m -> assertThat(m.getSubject()).isEqualTo("kafka-mailer config test"));
    }

    @Test
    void shouldTestTheFallbackServerTooAndSendATestEmailThroughEach() {
        ProbeReport r = probe().run(config(Map.of("smtpPort", greenMail.getSmtp().getPort(),
                "fallbackSmtpHost", "127.0.0.1", "fallbackSmtpPort", faulty.port())), "carol@example.com");

        assertThat(r.ok()).as(details(r)).isTrue();
        assertThat(r.steps()).extracting(ProbeStep::server).containsExactly("primary", "primary", "primary",
                "primary", "fallback", "fallback", "fallback", "fallback");
        assertThat(names(r)).containsExactly("DNS", "CONNECT", "AUTH", "SEND", "DNS", "CONNECT", "AUTH", "SEND");
        assertThat(r.steps().get(5).detail()).contains(String.valueOf(faulty.port()));
        assertThat(faulty.received()).singleElement()
                .satisfies(m -> assertThat(m.recipients()).containsExactly("carol@example.com"));
    }

    @Test
    void shouldReportAFallbackThatIsDownWithoutHidingTheWorkingPrimaryNorShowingItsPassword() {
        faulty.replyToGreeting(421);
        ProbeReport r = probe().run(config(Map.of("smtpPort", greenMail.getSmtp().getPort(),
                "fallbackSmtpHost", "127.0.0.1", "fallbackSmtpPort", faulty.port(),
                "fallbackSmtpUser", "relay", "fallbackSmtpPassword", PASSWORD)), null);

        assertThat(r.ok()).isFalse();
        assertThat(r.steps()).filteredOn(s -> "primary".equals(s.server())).allMatch(ProbeStep::ok).isNotEmpty();
        assertThat(r.failed()).get().satisfies(s -> {
            assertThat(s.server()).isEqualTo("fallback");
            assertThat(s.detail()).contains("421");
        });
        assertThat(details(r)).doesNotContain(PASSWORD);
    }

    @Test
    void shouldSayNoServerWithoutAFallback() {
        ProbeReport r = probe().run(config(Map.of("smtpPort", greenMail.getSmtp().getPort())), null);
        assertThat(r.steps()).extracting(ProbeStep::server).containsOnlyNulls();
    }

    @Test
    void shouldShowTheCertificateOverImplicitTls() {
        MailerConfig c = config(Map.of("smtpPort", greenMail.getSmtps().getPort(), "smtpSsl", true));
        ProbeReport r = probe().run(c, null);
        assertThat(names(r)).as(details(r)).containsExactly("DNS", "CONNECT", "TLS", "AUTH");
        assertThat(r.steps().get(2).detail()).contains("TLSv1.").contains("certificate CN=").contains("expires ")
                .contains(" days)");

        ProbeReport untrusted = probe((SSLSocketFactory) SSLSocketFactory.getDefault()).run(c, null);
        assertThat(names(untrusted)).containsExactly("DNS", "CONNECT", "TLS!");
        assertThat(untrusted.failed()).get().extracting(ProbeStep::detail).asString().contains("handshake");
    }

    @Test
    void shouldUpgradeWithStartTlsThenAuthenticateAndSend() {
        faulty.offerStartTls(TestTls.serverContext()).advertiseAuth(true);
        MailerConfig c = config(Map.of("smtpPort", faulty.port(), "startTls", true, "smtpUser", "mailer",
                "smtpPassword", PASSWORD));
        ProbeReport r = probe().run(c, "carol@example.com");
        assertThat(names(r)).as(details(r)).containsExactly("DNS", "CONNECT", "STARTTLS", "TLS", "AUTH", "SEND");
        assertThat(r.steps().get(4).detail()).contains("AUTH LOGIN as mailer accepted").contains("235");
        assertThat(r.steps().get(5).detail()).contains("250");
        assertThat(faulty.authenticatedUsers()).contains("mailer");
        assertThat(faulty.received()).hasSize(1);
        assertThat(details(r)).doesNotContain(PASSWORD);
    }

    @Test
    void shouldStopWhenStartTlsIsRequiredButNotOffered() {
        faulty.advertiseAuth(true);
        ProbeReport r = probe().run(config(Map.of("smtpPort", faulty.port(), "startTls", true, "smtpUser", "mailer",
                "smtpPassword", PASSWORD)), "bob@example.com");
        assertThat(names(r)).containsExactly("DNS", "CONNECT", "STARTTLS!");
        assertThat(r.failed()).get().extracting(ProbeStep::detail).asString().contains("does not offer STARTTLS");
        assertThat(faulty.authenticatedUsers()).isEmpty();
    }

    @Test
    void shouldNameTheRefusedAuthWithoutThePassword() {
        faulty.advertiseAuth(true).refuseAuth(true);
        ProbeReport r = probe().run(config(Map.of("smtpPort", faulty.port(), "smtpUser", "mailer",
                "smtpPassword", PASSWORD)), "bob@example.com");
        assertThat(names(r)).containsExactly("DNS", "CONNECT", "AUTH!");
        assertThat(r.failed()).get().extracting(ProbeStep::detail).asString().contains("AUTH LOGIN as mailer refused")
                .contains("535");
        assertThat(details(r)).doesNotContain(PASSWORD);
    }

    @Test
    void shouldWarnThatCredentialsTravelInClearTextAndFailWhenNoAuthIsOffered() {
        faulty.advertiseAuth(true);
        ProbeReport clear = probe().run(config(Map.of("smtpPort", faulty.port(), "smtpUser", "mailer",
                "smtpPassword", PASSWORD)), null);
        assertThat(clear.ok()).as(details(clear)).isTrue();
        assertThat(clear.steps().get(2).detail()).contains("clear text");

        faulty.advertiseAuth(false);
        ProbeReport noAuth = probe().run(config(Map.of("smtpPort", faulty.port(), "smtpUser", "mailer",
                "smtpPassword", PASSWORD)), null);
        assertThat(names(noAuth)).containsExactly("DNS", "CONNECT", "AUTH!");
        assertThat(noAuth.failed()).get().extracting(ProbeStep::detail).asString().contains("offers no AUTH");
    }

    @Test
    void shouldReportTheServersReplyWhenTheTestEmailIsRefused() {
        faulty.replyToAllRecipients(550);
        ProbeReport r = probe().run(config(Map.of("smtpPort", faulty.port())), "nobody@example.com");
        assertThat(names(r)).containsExactly("DNS", "CONNECT", "AUTH", "SEND!");
        assertThat(r.failed()).get().extracting(ProbeStep::detail).asString().contains("550");
    }

    @Test
    void shouldFailAtConnectWhenNothingListensAndAtDnsForAnUnknownHost() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ProbeReport r = probe().run(config(Map.of("smtpPort", closed)), null);
        assertThat(names(r)).containsExactly("DNS", "CONNECT!");
        assertThat(r.failed()).get().extracting(ProbeStep::detail).asString().contains("127.0.0.1:" + closed);

        ProbeReport dns = probe().run(config(Map.of("smtpHost", "no-such-host.invalid")), null);
        assertThat(names(dns)).containsExactly("DNS!");
    }

    @Test
    void shouldGetAnOAuthTokenAndAuthenticateWithXoauth2() {
        try (TokenStandIn identity = new TokenStandIn()) {
            identity.issues("token-xyz-1", 3600);
            MailerConfig c = identity.config(Map.of("smtpPort", greenMail.getSmtp().getPort()));
            ProbeReport r = probe().run(c, null);
            assertThat(names(r)).as(details(r)).containsExactly("TOKEN", "DNS", "CONNECT", "AUTH");
            assertThat(r.steps().get(3).detail()).contains("AUTH XOAUTH2 as mailer@contoso.example accepted");
            assertThat(details(r)).doesNotContain("token-xyz-1").doesNotContain(TokenStandIn.SECRET);

            identity.server.resetAll();
            identity.refuses("invalid_client", 401);
            ProbeReport refused = new ConfigProbe(new MsalTokenSource(Clock.systemUTC(), TestTls.socketFactory()),
                    TestTls.socketFactory(), Clock.systemUTC(), TIMEOUT).run(c, null);
            assertThat(names(refused)).containsExactly("TOKEN!");
            assertThat(refused.failed()).get().extracting(ProbeStep::detail).asString()
                    .endsWith("refused the credentials: invalid_client").doesNotContain("AADSTS")
                    .doesNotContain(TokenStandIn.SECRET);
        }
    }

    @Test
    void shouldCallGraphAndSendThroughIt() {
        try (GraphStandIn graph = new GraphStandIn()) {
            TokenSource tokens = new TokenSource() {
                @Override
                public AccessToken token(MailerConfig config, String scope) {
                    return new AccessToken("graph-token-1", Instant.now().plusSeconds(3600));
                }

                @Override
                public void invalidate(MailerConfig config, String scope) {
                }
            };
            ConfigProbe probe = new ConfigProbe(tokens, TestTls.socketFactory(), TestTls.trustManager(),
                    Clock.systemUTC(), TIMEOUT);
            MailerConfig c = graph.config(Map.of());
            graph.server.stubFor(get(urlPathMatching("/v1.0/users/.*")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"id\":\"u-1\"}")));
            graph.server.stubFor(post(urlPathMatching("/v1.0/users/.*/sendMail")).willReturn(aResponse().withStatus(202)));
            ProbeReport r = probe.run(c, "bob@example.com");
            assertThat(names(r)).as(details(r)).containsExactly("TOKEN", "GRAPH", "SEND");
            assertThat(r.steps().get(0).detail()).contains("/.default");
            assertThat(r.steps().get(2).detail()).contains("accepted");
            assertThat(details(r)).doesNotContain("graph-token-1").doesNotContain("s3cret");

            graph.server.resetAll();
            graph.server.stubFor(get(urlPathMatching("/v1.0/users/.*")).willReturn(aResponse().withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied.\"}}")));
            ProbeReport readDenied = probe.run(c, null);
            assertThat(names(readDenied)).containsExactly("TOKEN", "GRAPH");
            assertThat(readDenied.steps().get(1).detail()).contains("403").contains("--send-to");

            graph.server.resetAll();
            graph.server.stubFor(get(urlPathMatching("/v1.0/users/.*")).willReturn(aResponse().withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"code\":\"ErrorInvalidUser\",\"message\":\"The requested user is invalid.\"}}")));
            ProbeReport unknown = probe.run(c, "bob@example.com");
            assertThat(names(unknown)).containsExactly("TOKEN", "GRAPH!");
            assertThat(unknown.failed()).get().extracting(ProbeStep::detail).asString().contains("ErrorInvalidUser");
        }
    }

    @Test
    void shouldStopAtTheTokenWhenTheCredentialsAreRefused() {
        TokenSource refusing = new TokenSource() {
            @Override
            public AccessToken token(MailerConfig config, String scope) {
                throw new TokenException("AADSTS7000215: Invalid client secret", "invalid_client", true, null);
            }

            @Override
            public void invalidate(MailerConfig config, String scope) {
            }
        };
        MailerConfig c = ConfigRules.parse(Map.of("useGraphApi", true, "tenantId", "t", "clientId", "c",
                "clientSecret", "client-secret-99", "postmaster", "noreply@example.com"));
        ProbeReport r = new ConfigProbe(refusing, TestTls.socketFactory(), Clock.systemUTC(), TIMEOUT).run(c, null);
        assertThat(names(r)).containsExactly("TOKEN!");
        assertThat(r.failed()).get().extracting(ProbeStep::detail).asString().contains("invalid_client")
                .doesNotContain("AADSTS").doesNotContain("client-secret-99");
    }
}
