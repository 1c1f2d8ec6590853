package io.github.kafkamailer.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.ServerFault;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import io.github.kafkamailer.testing.FaultySmtpFixture;
import io.github.kafkamailer.testing.Ports;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which server fault a real SMTP session reports (what a run's failover is decided by, CONTRACT.md
 * {@code fallbackSmtpHost}), against our fault-injecting server: the server unusable (refused, a 4xx to the
 * greeting, HELO or AUTH, STARTTLS missing) and what is never such a fault (a recipient's or the message's refusal).
 */
@Timeout(30)
class SmtpServerFaultTest {
    @RegisterExtension
    final FaultySmtpFixture smtp = new FaultySmtpFixture();
    private final FaultySmtpServer server = smtp.server();

    private static MailerConfig config(int port, Map<String, Object> extra) {
        return FaultySmtpFixture.config(port, extra);
    }

    private SendOutcome send(MailerConfig config) {
        try (TransportSession session = smtp.transport().open(config)) {
            return session.send(EmailEvent.builder("e1").from("alice@example.com").to("bob@example.com")
                    .cc("carol@example.com").subject("s").text("t").build());
        }
    }

    private static ServerFault fault(SendOutcome o) {
        assertThat(o).isInstanceOf(SendOutcome.Failed.class);
        return ((SendOutcome.Failed) o).serverFault();
    }

    @Test
    void shouldSayUnreachableWhenTheConnectionIsRefused() {
        SendOutcome o = send(config(Ports.closed(), Map.of()));
        assertThat(fault(o)).isEqualTo(ServerFault.UNREACHABLE);
        assertThat(((SendOutcome.Failed) o).serverDown()).isTrue();
    }

    @Test
    void shouldSayBusyWhenTheGreetingIs421() {
        server.replyToGreeting(421);
        assertThat(fault(send(config(server.port(), Map.of())))).isEqualTo(ServerFault.BUSY);
    }

    @Test
    void shouldSayBusyForA4xxToHelo() {
        server.replyToHelo(451);
        assertThat(fault(send(config(server.port(), Map.of())))).isEqualTo(ServerFault.BUSY);
    }

    @Test
    void shouldFailOverWhenHeloGets421AndTheServerCloses() {
        server.replyToHelo(421);
        assertThat(fault(send(config(server.port(), Map.of()))).failsOver()).isTrue();
    }

    @Test
    void shouldSayRefusedForA5xxToHelo() {
        server.replyToHelo(554);
        assertThat(fault(send(config(server.port(), Map.of())))).isEqualTo(ServerFault.REFUSED);
    }

    @Test
    void shouldSayBusyForA4xxToAuthAndRefusedForWrongCredentials() {
        server.advertiseAuth(true).replyToAuth(454);
        Map<String, Object> auth = Map.of("smtpUser", "u", "smtpPassword", "p");
        assertThat(fault(send(config(server.port(), auth)))).isEqualTo(ServerFault.BUSY);

        server.replyToAuth(535);
        assertThat(fault(send(config(server.port(), auth)))).isEqualTo(ServerFault.REFUSED);
    }

    @Test
    void shouldSayTlsWhenARequiredStartTlsIsNotOffered() {
        assertThat(fault(send(config(server.port(), Map.of("startTls", true))))).isEqualTo(ServerFault.TLS);
    }

    @Test
    void shouldSayTlsWhenImplicitTlsMeetsAPlainServer() {
        assertThat(fault(send(config(server.port(), Map.of("smtpSsl", true))))).isEqualTo(ServerFault.TLS);
    }

    @Test
    void shouldNeverBlameTheServerForARecipientsOrTheMessagesRefusal() {
        server.replyToAllRecipients(550);
        assertThat(fault(send(config(server.port(), Map.of())))).isNull();
        server.reset().replyToAllRecipients(450);
        assertThat(fault(send(config(server.port(), Map.of())))).isNull();
        server.reset().replyToRecipient("bob@example.com", 550);
        assertThat(send(config(server.port(), Map.of()))).isInstanceOf(SendOutcome.Delivered.class);
        server.reset().replyToMailFrom(451);
        assertThat(fault(send(config(server.port(), Map.of())))).isNull();
        server.reset().replyToData(554);
        assertThat(fault(send(config(server.port(), Map.of())))).isNull();
        server.reset().failNextMessages(1, 421);
        assertThat(fault(send(config(server.port(), Map.of())))).as("421 after DATA: slow down, not unusable")
                .isNull();
    }
}
