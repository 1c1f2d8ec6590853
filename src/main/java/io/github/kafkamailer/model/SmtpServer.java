package io.github.kafkamailer.model;

/**
 * One SMTP server of a tenant's config: its primary ({@link MailerConfig#primarySmtp()}) or its fallback
 * ({@link MailerConfig#fallbackSmtp()}), both the same six fields. A view of the config, not a part of its JSON. The
 * password is a {@link Secret} and never prints.
 */
public record SmtpServer(String host, int port, String user, Secret password, boolean startTls, boolean ssl) {
    /** No server: the fallback of a config that has already failed over (the fallback fields' defaults). */
    public static final SmtpServer NONE = new SmtpServer(null, 25, null, null, false, false);

    /** The same server with another password (its reference resolved). */
    public SmtpServer withPassword(Secret newPassword) {
        return new SmtpServer(host, port, user, newPassword, startTls, ssl);
    }
}
