package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * What {@code config test} asks of an SMTP server, one step at a time, with the session a send uses (same
 * TLS, STARTTLS and AUTH settings): connect and authenticate, then optionally send one test email and keep the
 * server's reply. Details are for a person and never hold the password or token.
 */
public final class SmtpCheck implements AutoCloseable {
    /** Angus's order of preference among the mechanisms a server offers (its default {@code mail.smtp.auth.mechanisms}). */
    private static final List<String> ANGUS_ORDER = List.of("LOGIN", "PLAIN", "DIGEST-MD5", "NTLM");

    /** One step's outcome. */
    public record Outcome(boolean ok, String detail) {
    }

    private final Session session;
    private final MailerConfig config;
    private SMTPTransport transport;

    SmtpCheck(Session session, MailerConfig config) {
        this.session = session;
        this.config = config;
    }

    /**
     * Connects as the mailer does and, with a user, authenticates.
     *
     * @param password the password, or the token for XOAUTH2; null without a user
     */
    public Outcome connect(String password) {
        String user = config.smtpUser();
        try {
            transport = (SMTPTransport) session.getTransport("smtp");
            transport.connect(config.smtpHost(), config.smtpPort(), user, password);
        } catch (AuthenticationFailedException e) {
            String mechanism = mechanism();
            close();
            return new Outcome(false, mechanism + " as " + user + " refused: " + SmtpFailures.describe(e));
        } catch (MessagingException e) {
            close();
            return new Outcome(false, "cannot connect as the mailer does: " + SmtpFailures.describe(e));
        }
        if (user == null) {
            return new Outcome(true, "no smtpUser: the mailer sends without AUTH");
        }
        if (!transport.supportsExtension("AUTH")) {
            close();
            return new Outcome(false, "the server offers no AUTH" + (config.startTls() ? " after STARTTLS" : "")
                    + " but smtpUser is set: the mailer refuses to send unauthenticated");
        }
        String reply = transport.getLastServerResponse();
        return new Outcome(true, mechanism() + " as " + user + " accepted"
                + (reply == null || reply.isBlank() ? "" : " (" + oneLine(reply) + ")"));
    }

    /** Sends {@code email} over the connection {@link #connect} opened; the detail is the server's reply. */
    public Outcome send(EmailEvent email) {
        if (transport == null || !transport.isConnected()) {
            return new Outcome(false, "not connected");
        }
        try {
            MimeMessage message = MimeMessages.build(session, email, config);
            transport.sendMessage(message, message.getAllRecipients());
            return new Outcome(true, "accepted: " + oneLine(transport.getLastServerResponse()));
        } catch (MessagingException | RuntimeException e) {
            String why = e instanceof MessagingException m ? SmtpFailures.describe(m) : e.getMessage();
            return new Outcome(false, "refused: " + why);
        }
    }

    /** The mechanism Angus uses with this server: XOAUTH2 for useOAuth, else the first it prefers that is offered. */
    private String mechanism() {
        if (config.useOAuth()) {
            return "AUTH XOAUTH2";
        }
        String offered = transport == null ? null : transport.getExtensionParameter("AUTH");
        if (offered != null) {
            List<String> names = List.of(offered.toUpperCase(Locale.ROOT).split("\\s+"));
            for (String m : ANGUS_ORDER) {
                if (names.contains(m)) {
                    return "AUTH " + m;
                }
            }
        }
        return "AUTH";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }

    @Override
    public void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // Closing after a check: nothing left to learn.
            }
            transport = null;
        }
    }
}
