package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.oauth.TokenSource;

/**
 * What an SMTP session authenticates with: the configured password (SMTP), or an app token for XOAUTH2
 * (SMTP_OAUTH), which a refusing server makes the session renew once.
 */
interface SmtpCredentials {
    /** Microsoft's scope for SMTP AUTH with an app token (CONTRACT.md, {@code useOAuth}). */
    String OUTLOOK_SCOPE = "https://outlook.office365.com/.default";

    TransportKind kind();

    /** The password for AUTH; null for none. May throw {@link TokenSource.TokenException}. */
    String password(MailerConfig config);

    /** The server refused the credentials; true when new ones are worth a second try. */
    boolean refused(MailerConfig config);

    SmtpCredentials BASIC = new SmtpCredentials() {
        @Override
        public TransportKind kind() {
            return TransportKind.SMTP;
        }

        @Override
        public String password(MailerConfig config) {
            return config.smtpPassword() == null ? null : config.smtpPassword().reveal();
        }

        @Override
        public boolean refused(MailerConfig config) {
            return false;
        }
    };

    static SmtpCredentials oauth(TokenSource tokens) {
        return new SmtpCredentials() {
            @Override
            public TransportKind kind() {
                return TransportKind.SMTP_OAUTH;
            }

            @Override
            public String password(MailerConfig config) {
                return tokens.token(config, OUTLOOK_SCOPE).value();
            }

            @Override
            public boolean refused(MailerConfig config) {
                tokens.invalidate(config, OUTLOOK_SCOPE);
                return true;
            }
        };
    }
}
