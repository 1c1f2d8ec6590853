package io.github.kafkamailer.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import io.github.kafkamailer.testing.FaultySmtpFixture;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How SMTP failures are classified (transient, permanent) and what becomes of the connection, through real
 * SmtpTransport sessions against our fault-injecting server, below the integration level (no Kafka). Partial
 * refusals (some recipients accepted) are left to the sending engine's tests.
 */
@Timeout(30)
class SmtpClassificationTest {
    @RegisterExtension
    final FaultySmtpFixture smtp = new FaultySmtpFixture();
    private final FaultySmtpServer server = smtp.server();
    private final SmtpTransport transport = smtp.transport();

    private MailerConfig config(Map<String, Object> extra) {
        return smtp.config(extra);
    }

    private static EmailEvent email(String id) {
        return EmailEvent.builder(id).from("alice@example.com").to("bob@example.com").subject("Subject " + id)
                .text("hi").build();
    }

    private static SendOutcome.Failed failed(SendOutcome outcome) {
        assertThat(outcome).isInstanceOf(SendOutcome.Failed.class);
        return (SendOutcome.Failed) outcome;
    }

    @Test
    void shouldTellTheTenantToSlowDownOnA421ButNotOnAPlain451() {
        try (TransportSession session = transport.open(config(Map.of()))) {
            server.failNextMessages(1, 421);
            SendOutcome.Failed slow = failed(session.send(email("a")));
            assertThat(slow.slowDown()).as("421: the whole tenant waits for its next run").isNotNull();
            assertThat(slow.stopsRun()).isTrue();

            server.failNextMessages(1, 451);
            SendOutcome.Failed later = failed(session.send(email("b")));
            assertThat(later.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(later.slowDown()).as("451 4.3.0: this email only").isNull();
            assertThat(later.stopsRun()).isFalse();
        }
    }

    @Test
    void shouldReadTheEnhancedStatusCodeOfASlowDownReply() {
        assertThat(SmtpFailures.slowDown(new jakarta.mail.MessagingException("451 4.7.1 Try again later, rate")))
                .isNotNull();
        assertThat(SmtpFailures.slowDown(new jakarta.mail.MessagingException("451 4.3.2 System not accepting")))
                .isNotNull();
        assertThat(SmtpFailures.slowDown(new jakarta.mail.MessagingException("454 4.7.0 Temporary failure")))
                .isNotNull();
        assertThat(SmtpFailures.slowDown(new jakarta.mail.MessagingException("451 4.4.1 No answer from host")))
                .isNull();
        assertThat(SmtpFailures.slowDown(new jakarta.mail.MessagingException("550 5.7.1 Relaying denied"))).isNull();
    }

    @Test
    void shouldRetryA421AndReconnectForTheNextEmail() {
        server.failNextMessages(1, 421);
        try (TransportSession session = transport.open(config(Map.of()))) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isFalse();
            assertThat(f.reason()).contains("421");

            assertThat(session.send(email("b"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(server.connectionsAccepted()).as("the server closed the first connection").isEqualTo(2);
        assertThat(server.subjects()).containsExactly("Subject b");
    }

    @Test
    void shouldRetryA451AndKeepTheConnection() {
        server.failNextMessages(1, 451);
        try (TransportSession session = transport.open(config(Map.of()))) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isFalse();
            assertThat(f.reason()).contains("451");
            assertThat(session.send(email("b"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void shouldRetryA452ForTheMessage() {
        server.replyToData(452);
        try (TransportSession session = transport.open(config(Map.of()))) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isFalse();
            assertThat(f.reason()).contains("452");
        }
    }

    @Test
    void shouldRetryWhenEveryRecipientGetsA4xx() {
        server.replyToAllRecipients(450);
        try (TransportSession session = transport.open(config(Map.of()))) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isFalse();
        }
        assertThat(server.received()).isEmpty();
    }

    @Test
    void shouldGiveUpOnA550ForTheMessageTheSenderOrEveryRecipient() {
        server.replyToData(550);
        try (TransportSession session = transport.open(config(Map.of()))) {
            SendOutcome.Failed f = failed(session.send(email("data")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.PERMANENT);
            assertThat(f.serverDown()).isFalse();
            assertThat(f.reason()).contains("550");

            server.reset().replyToMailFrom(550);
            assertThat(failed(session.send(email("mail-from"))).failureClass()).isEqualTo(FailureClass.PERMANENT);

            server.reset().replyToAllRecipients(550);
            assertThat(failed(session.send(email("rcpt"))).failureClass()).isEqualTo(FailureClass.PERMANENT);

            server.reset();
            assertThat(session.send(email("fine"))).as("a 5xx leaves the connection usable")
                    .isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void shouldRetryAConnectionDroppedMidDataAndReconnect() {
        server.dropConnectionMidData(true);
        try (TransportSession session = transport.open(config(Map.of()))) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isFalse();
            assertThat(f.reason()).startsWith("connection lost");

            server.reset();
            assertThat(session.send(email("b"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(server.connectionsAccepted()).isEqualTo(2);
        assertThat(server.subjects()).containsExactly("Subject b");
    }

    @Test
    void shouldStopTheRunWhenAuthIsRefusedWithoutShowingThePassword() {
        server.advertiseAuth(true).replyToAuth(535);
        try (TransportSession session = transport.open(config(Map.of("smtpUser", "mailer",
                "smtpPassword", "hunter2-secret")))) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).as("the rest of the run would fail the same way").isTrue();
            assertThat(f.reason()).contains("authentication refused").doesNotContain("hunter2-secret");
        }
        assertThat(server.received()).isEmpty();
    }

    @Test
    void shouldStopTheRunWhenAUserIsSetButTheServerOffersNoAuth() {
        try (TransportSession session = transport.open(config(Map.of("smtpUser", "mailer",
                "smtpPassword", "hunter2-secret")))) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isTrue();
            assertThat(f.reason()).contains("offers no AUTH");
        }
        assertThat(server.received()).as("never sent unauthenticated").isEmpty();
    }

    @Test
    void shouldStopTheRunWhenTheServerIsDown() {
        MailerConfig config = config(Map.of());
        server.stop();
        try (TransportSession session = transport.open(config)) {
            SendOutcome.Failed f = failed(session.send(email("a")));
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isTrue();
            assertThat(f.reason()).contains("cannot connect");
        }
    }
}
