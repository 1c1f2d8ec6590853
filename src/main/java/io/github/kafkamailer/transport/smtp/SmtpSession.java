package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.List;
import io.github.kafkamailer.transport.oauth.TokenSource;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** One SMTP connection for one run: opened on the first send, reopened after the server dropped it. */
final class SmtpSession implements TransportSession {
    private final Session session;
    private final SmtpCredentials credentials;
    private final TransportKind kind;
    private final MailerConfig config;
    private final Clock clock;
    private final NoDelaySocketFactory.OpenSockets sockets;
    private SMTPTransport transport;
    /** When the connection last did something; an idle one is checked (NOOP) before it is used again. */
    private long lastUsedNanos;
    /**
     * Angus' {@code isConnected()} sends a NOOP and waits for the reply: asked before every email, it costs one
     * round trip per email. A connection used in the last few seconds is taken as alive; if the server closed
     * it meanwhile, the send fails as a lost connection (transient) and the next one reconnects.
     */
    private static final long CHECK_AFTER_IDLE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    SmtpSession(Session session, MailerConfig config, Clock clock, SmtpCredentials credentials,
                NoDelaySocketFactory.OpenSockets sockets) {
        this.session = session;
        this.sockets = sockets;
        this.credentials = credentials;
        this.kind = credentials.kind();
        this.config = config;
        this.clock = clock;
    }

    @Override
    public SendOutcome send(EmailEvent email) {
        return send(email, null);
    }

    /** With {@code onlyRecipients}, the message keeps its headers and only the envelope (RCPT TO) narrows. */
    @Override
    public SendOutcome send(EmailEvent email, List<String> onlyRecipients) {
        MimeMessage message;
        Address[] envelope;
        try {
            message = MimeMessages.build(session, email, config);
            envelope = onlyRecipients == null ? message.getAllRecipients() : envelope(onlyRecipients);
        } catch (InvalidRecordException e) {
            return new SendOutcome.Failed(kind, FailureClass.INVALID, e.getMessage(), false);
        } catch (MessagingException e) {
            return new SendOutcome.Failed(kind, FailureClass.INVALID, "cannot build the message: "
                    + SmtpFailures.describe(e), false);
        }
        SendOutcome.Failed notConnected = connectIfNeeded();
        if (notConnected != null) {
            return notConnected;
        }
        try {
            transport.sendMessage(message, envelope);
            return new SendOutcome.Delivered(kind, clock.instant(), List.of());
        } catch (SendFailedException e) {
            if (e.getValidSentAddresses() != null && e.getValidSentAddresses().length > 0) {
                // Accepted for some: those refused for good are named, those refused for now are retried alone.
                SmtpFailures.Refusals r = SmtpFailures.refusals(e);
                return new SendOutcome.Delivered(kind, clock.instant(), r.permanent(), r.deferred(),
                        r.deferred().isEmpty() ? null : r.deferredReason());
            }
            return failed(e);
        } catch (MessagingException e) {
            return failed(e);
        }
    }

    private static Address[] envelope(List<String> recipients) throws MessagingException {
        Address[] out = new Address[recipients.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new InternetAddress(recipients.get(i), true);
        }
        return out;
    }

    private SendOutcome.Failed failed(MessagingException e) {
        boolean connected = transport.isConnected();
        if (!connected) {
            closeQuietly();
        }
        return SmtpFailures.ofSend(kind, e, connected);
    }

    /** Null when connected; else the outcome that every email of the run would get. */
    private SendOutcome.Failed connectIfNeeded() {
        if (transport != null && System.nanoTime() - lastUsedNanos < CHECK_AFTER_IDLE_NANOS) {
            lastUsedNanos = System.nanoTime();
            return null;
        }
        if (transport != null && transport.isConnected()) {
            lastUsedNanos = System.nanoTime();
            return null;
        }
        try {
            try {
                connect();
            } catch (AuthenticationFailedException refused) {
                closeQuietly();
                if (!credentials.refused(config)) {
                    throw refused;
                }
                // A token the server no longer takes (revoked, rotated): one more try with a fresh one.
                connect();
            }
            if (config.smtpUser() != null && !transport.supportsExtension("AUTH")) {
                // Angus would carry on unauthenticated; a configured user means the admin wants AUTH.
                closeQuietly();
                return new SendOutcome.Failed(kind, FailureClass.TRANSIENT,
                        "the server offers no AUTH but smtpUser is set; refusing to send unauthenticated", true)
                        .withServerFault(io.github.kafkamailer.failure.ServerFault.REFUSED);
            }
            return null;
        } catch (MessagingException e) {
            int lastReply = transport == null ? -1 : transport.getLastReturnCode();
            closeQuietly();
            return SmtpFailures.serverUnusable(kind, e, lastReply, config.startTls());
        } catch (TokenSource.TokenException e) {
            closeQuietly();
            return new SendOutcome.Failed(kind, FailureClass.TRANSIENT, "no token: " + e.getMessage(), true)
                    .withServerFault(io.github.kafkamailer.failure.ServerFault.REFUSED);
        }
    }

    private void connect() throws MessagingException {
        transport = (SMTPTransport) session.getTransport("smtp");
        transport.connect(config.smtpHost(), config.smtpPort(), config.smtpUser(), credentials.password(config));
        lastUsedNanos = System.nanoTime();
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

    /** Closes the sockets under the transport: a read blocked on a silent server fails at once. */
    @Override
    public void abort() {
        sockets.closeAll();
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
