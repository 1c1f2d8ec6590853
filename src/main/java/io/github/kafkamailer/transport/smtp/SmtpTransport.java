package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.SmtpServer;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.oauth.TokenSource;
import jakarta.mail.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * Plain SMTP through Angus Mail, with AUTH when a user is set, STARTTLS when asked for (required, never
 * skipped) or implicit TLS. One session is one connection, reused for the whole run.
 */
public final class SmtpTransport implements MailTransport {
    /** The token scope of SMTP AUTH XOAUTH2 with an app token (CONTRACT.md, {@code useOAuth}). */
    public static final String OUTLOOK_SCOPE = SmtpCredentials.OUTLOOK_SCOPE;

    private final Clock clock;
    private final Duration timeout;
    private final SSLSocketFactory tlsSockets;
    private final TokenSource tokens;

    /**
     * @param tlsSockets where TLS sockets come from: the JVM's default (its trust store) in production, a test
     *                   trust store in tests
     */
    public SmtpTransport(Clock clock, Duration timeout, SSLSocketFactory tlsSockets) {
        this(clock, timeout, tlsSockets, null);
    }

    /**
     * @param tokens where XOAUTH2 tokens come from for {@code useOAuth} tenants (SMTP_OAUTH); null when this
     *               transport serves basic-auth SMTP only
     */
    public SmtpTransport(Clock clock, Duration timeout, SSLSocketFactory tlsSockets, TokenSource tokens) {
        this.clock = clock;
        this.timeout = timeout;
        this.tlsSockets = tlsSockets;
        this.tokens = tokens;
    }

    public SmtpTransport(Clock clock) {
        this(clock, Duration.ofSeconds(30), (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    @Override
    public TransportSession open(MailerConfig config) {
        if (config.useOAuth() && tokens == null) {
            throw new IllegalStateException("useOAuth needs an SmtpTransport built with a TokenSource");
        }
        SmtpCredentials credentials = config.useOAuth() ? SmtpCredentials.oauth(tokens) : SmtpCredentials.BASIC;
        NoDelaySocketFactory.OpenSockets sockets = new NoDelaySocketFactory.OpenSockets();
        return new SmtpSession(Session.getInstance(properties(config, sockets)), config, clock, credentials, sockets);
    }

    /** A step-by-step check of this config's server, with the very settings a send uses ({@code config test}). */
    public SmtpCheck check(MailerConfig config) {
        return new SmtpCheck(Session.getInstance(properties(config, new NoDelaySocketFactory.OpenSockets())), config);
    }

    private Properties properties(MailerConfig config, NoDelaySocketFactory.OpenSockets sockets) {
        Properties p = new Properties();
        String ms = Long.toString(timeout.toMillis());
        SmtpServer server = config.primarySmtp();
        p.put("mail.smtp.host", server.host());
        p.put("mail.smtp.port", Integer.toString(server.port()));
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        // Valid recipients still get the email when others are refused; the refused ones are reported.
        p.put("mail.smtp.sendpartial", "true");
        p.put("mail.smtp.socketFactory", NoDelaySocketFactory.plain(sockets));
        p.put("mail.smtp.socketFactory.fallback", "false");
        p.put("mail.smtp.ssl.socketFactory", NoDelaySocketFactory.tls(tlsSockets, sockets));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        if (server.ssl()) {
            p.put("mail.smtp.ssl.enable", "true");
        }
        if (server.startTls()) {
            // Without "required", Angus silently goes on in plain text when the server offers no STARTTLS.
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (server.user() != null) {
            p.put("mail.smtp.auth", "true");
        }
        if (config.useOAuth()) {
            // The token goes as the password of the XOAUTH2 SASL mechanism, and no other mechanism is tried.
            p.put("mail.smtp.auth", "true");
            p.put("mail.smtp.auth.mechanisms", "XOAUTH2");
        }
        return p;
    }
}
