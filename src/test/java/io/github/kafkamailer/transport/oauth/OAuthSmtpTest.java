package io.github.kafkamailer.transport.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.smtp.SmtpTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SMTP AUTH XOAUTH2 end to end: the real msal4j against the HTTPS token stand-in, Angus Mail against GreenMail,
 * which checks the XOAUTH2 string's token against the mailbox's password.
 */
class OAuthSmtpTest {
    private static final String MAILBOX = "mailer@contoso.example";

    private TokenStandIn tokens;
    private GreenMail greenMail;
    private SmtpTransport transport;
    private MailerConfig config;

    @BeforeEach
    void setUp() {
        tokens = new TokenStandIn();
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        greenMail.setUser(MAILBOX, MAILBOX, "tok-1");
        transport = new SmtpTransport(Clock.systemUTC(), Duration.ofSeconds(5),
                TokenStandIn.trustingTheTestCertificate(),
                new MsalTokenSource(Clock.systemUTC(), TokenStandIn.trustingTheTestCertificate()));
        config = tokens.config(Map.of("smtpPort", greenMail.getSmtp().getPort()));
    }

    @AfterEach
    void tearDown() {
        greenMail.stop();
        tokens.close();
    }

    private static EmailEvent email(String id) {
        return EmailEvent.builder(id).from("alice@contoso.example").to("bob@example.com").subject("OAuth " + id)
                .text("hi").build();
    }

    @Test
    void shouldSendABatchWithOneTokenAndReuseItForTheNextBatch() {
        tokens.issues("tok-1", 3600);
        try (TransportSession session = transport.open(config)) {
            for (int i = 0; i < 3; i++) {
                assertThat(session.send(email("a" + i))).isInstanceOfSatisfying(SendOutcome.Delivered.class,
                        d -> assertThat(d.transport()).isEqualTo(TransportKind.SMTP_OAUTH));
            }
        }
        try (TransportSession next = transport.open(config)) {
            assertThat(next.send(email("b0"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(4);
        assertThat(tokens.tokenRequests()).hasSize(1);
    }

    @Test
    void shouldRenewATokenTheServerRefusesOnceAndSend() {
        tokens.issues("tok-1", 3600);
        try (TransportSession session = transport.open(config)) {
            assertThat(session.send(email("c0"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        // The mailbox now takes only a newer token (the old one was revoked).
        greenMail.getUserManager().getUser(MAILBOX).setPassword("tok-2");
        tokens.issues("tok-2", 3600);
        try (TransportSession session = transport.open(config)) {
            assertThat(session.send(email("c1"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(tokens.tokenRequests()).hasSize(2);
        assertThat(greenMail.getReceivedMessages()).hasSize(2);
    }

    @Test
    void shouldFailTransientlyAndStopTheRunWhenTheSecretIsWrong() {
        tokens.refuses("invalid_client", 401);
        try (TransportSession session = transport.open(config)) {
            assertThat(session.send(email("d0"))).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
                assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
                assertThat(f.serverDown()).isTrue();
                assertThat(f.transport()).isEqualTo(TransportKind.SMTP_OAUTH);
                assertThat(f.reason()).contains("invalid_client").doesNotContain(TokenStandIn.SECRET);
            });
        }
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }
}
