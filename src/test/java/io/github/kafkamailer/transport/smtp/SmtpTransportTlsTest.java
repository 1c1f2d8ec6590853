package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.testing.TestTls;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Implicit TLS (smtpSsl) against GreenMail's SMTPS with the test certificate, and what happens when it isn't trusted. */
class SmtpTransportTlsTest {
    private static GreenMail greenMail;

    @BeforeAll
    static void startSmtps() {
        System.setProperty("greenmail.tls.keystore.file", TestTls.serverKeystore().toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        System.setProperty("greenmail.tls.key.password", "changeit");
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
    }

    @AfterAll
    static void stop() {
        greenMail.stop();
        System.clearProperty("greenmail.tls.keystore.file");
        System.clearProperty("greenmail.tls.keystore.password");
        System.clearProperty("greenmail.tls.key.password");
    }

    private static MailerConfig smtps() {
        return ConfigRules.parse(Map.of("smtpHost", "127.0.0.1", "smtpPort", greenMail.getSmtps().getPort(),
                "smtpSsl", true, "postmaster", "noreply@example.com"));
    }

    private static EmailEvent email(String id) {
        return EmailEvent.builder(id).from("alice@example.com").to("bob@example.com").subject("TLS " + id).text("hi").build();
    }

    @Test
    void shouldSendOverImplicitTlsWhenTheCertificateIsTrusted() throws Exception {
        SmtpTransport transport = new SmtpTransport(Clock.systemUTC(), Duration.ofSeconds(5), TestTls.socketFactory());
        try (TransportSession session = transport.open(smtps())) {
            assertThat(session.send(email("tls-1"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(greenMail.getReceivedMessages()).extracting(m -> m.getSubject()).contains("TLS tls-1");
    }

    @Test
    void shouldRefuseAServerWhoseCertificateIsNotTrusted() {
        SmtpTransport transport = new SmtpTransport(Clock.systemUTC(), Duration.ofSeconds(5),
                (SSLSocketFactory) SSLSocketFactory.getDefault());
        try (TransportSession session = transport.open(smtps())) {
            SendOutcome outcome = session.send(email("tls-2"));
            assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
                assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
                assertThat(f.serverDown()).isTrue();
            });
        }
    }
}
