package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.FailureClass;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** One SMTP connection for one run: opened on the first send, reopened after the server dropped it. */
final class SmtpSession implements TransportSession {
    private static final TransportKind KIND = TransportKind.SMTP;

    private final Session session;
    private final MailerConfig config;
    private final Clock clock;
    private SMTPTransport transport;

    SmtpSession(Session session, MailerConfig config, Clock clock) {
        this.session = session;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public SendOutcome send(EmailEvent email) {
        MimeMessage message;
        try {
            message = MimeMessages.build(session, email, config);
        } catch (InvalidRecordException e) {
            return new SendOutcome.Failed(KIND, FailureClass.INVALID, e.getMessage(), false);
        } catch (MessagingException e) {
            return new SendOutcome.Failed(KIND, FailureClass.INVALID, "cannot build the message: "
                    + SmtpFailures.describe(e), false);
        }
        SendOutcome.Failed notConnected = connectIfNeeded();
        if (notConnected != null) {
            return notConnected;
        }
        try {
            transport.sendMessage(message, message.getAllRecipients());
            return new SendOutcome.Delivered(KIND, clock.instant(), List.of());
        } catch (SendFailedException e) {
            if (e.getValidSentAddresses() != null && e.getValidSentAddresses().length > 0) {
                return new SendOutcome.Delivered(KIND, clock.instant(), SmtpFailures.refusedRecipients(e));
            }
            return failed(e);
        } catch (MessagingException e) {
            return failed(e);
        }
    }

    private SendOutcome.Failed failed(MessagingException e) {
        boolean connected = transport.isConnected();
        if (!connected) {
            closeQuietly();
        }
        return SmtpFailures.ofSend(KIND, e, connected);
    }

    /** Null when connected; else the outcome that every email of the run would get. */
    private SendOutcome.Failed connectIfNeeded() {
        if (transport != null && transport.isConnected()) {
            return null;
        }
        try {
            transport = (SMTPTransport) session.getTransport("smtp");
            String password = config.smtpPassword() == null ? null : config.smtpPassword().reveal();
            transport.connect(config.smtpHost(), config.smtpPort(), config.smtpUser(), password);
            if (config.smtpUser() != null && !transport.supportsExtension("AUTH")) {
                // Angus would carry on unauthenticated; a configured user means the admin wants AUTH.
                closeQuietly();
                return new SendOutcome.Failed(KIND, FailureClass.TRANSIENT,
                        "the server offers no AUTH but smtpUser is set; refusing to send unauthenticated", true);
            }
            return null;
        } catch (MessagingException e) {
            closeQuietly();
            return SmtpFailures.serverUnusable(KIND, e);
        }
    }

    private void closeQuietly() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // Closing a broken connection: nothing left to save.
            }
            transport = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
