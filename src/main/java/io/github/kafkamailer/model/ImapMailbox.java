package io.github.kafkamailer.model;

/**
 * The bounce mailbox of a tenant's config ({@link MailerConfig#bounceMailbox()}): the six {@code bounceImap*}
 * fields. A view of the config, not a part of its JSON. The password is a {@link Secret} and never prints.
 */
public record ImapMailbox(String host, int port, String user, Secret password, boolean ssl, boolean startTls) {

    /** The same mailbox with another password (its reference resolved). */
    public ImapMailbox withPassword(Secret newPassword) {
        return new ImapMailbox(host, port, user, newPassword, ssl, startTls);
    }
}
