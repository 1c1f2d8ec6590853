package io.github.kafkamailer.model;

import java.util.List;
import java.util.Map;

/**
 * The six config fields of one server (host, port, user, password, STARTTLS, implicit TLS): the primary and the
 * fallback SMTP server and the bounce mailbox each have their own, with the same rules. Values are read from the
 * typed fields {@link ConfigRules} has checked, and violations are reported against these fields' JSON names.
 */
record ServerFields(ConfigField host, ConfigField port, ConfigField user, ConfigField password,
        ConfigField startTls, ConfigField ssl) {
    static final ServerFields PRIMARY_SMTP = new ServerFields(ConfigField.SMTP_HOST, ConfigField.SMTP_PORT,
            ConfigField.SMTP_USER, ConfigField.SMTP_PASSWORD, ConfigField.START_TLS, ConfigField.SMTP_SSL);
    static final ServerFields FALLBACK_SMTP = new ServerFields(ConfigField.FALLBACK_SMTP_HOST,
            ConfigField.FALLBACK_SMTP_PORT, ConfigField.FALLBACK_SMTP_USER, ConfigField.FALLBACK_SMTP_PASSWORD,
            ConfigField.FALLBACK_START_TLS, ConfigField.FALLBACK_SMTP_SSL);
    static final ServerFields BOUNCE_IMAP = new ServerFields(ConfigField.BOUNCE_IMAP_HOST,
            ConfigField.BOUNCE_IMAP_PORT, ConfigField.BOUNCE_IMAP_USER, ConfigField.BOUNCE_IMAP_PASSWORD,
            ConfigField.BOUNCE_IMAP_START_TLS, ConfigField.BOUNCE_IMAP_SSL);

    /** The SMTP server these fields hold (defaults applied). */
    SmtpServer smtp(Map<ConfigField, Object> v) {
        return new SmtpServer((String) v.get(host), (Integer) v.get(port), (String) v.get(user),
                (Secret) v.get(password), isTrue(v, startTls), isTrue(v, ssl));
    }

    /** The IMAP mailbox these fields hold (defaults applied). */
    ImapMailbox imap(Map<ConfigField, Object> v) {
        return new ImapMailbox((String) v.get(host), (Integer) v.get(port), (String) v.get(user),
                (Secret) v.get(password), isTrue(v, ssl), isTrue(v, startTls));
    }

    /** Implicit TLS excludes STARTTLS: a server is reached one way or the other, not both. */
    void checkTlsChoice(Map<ConfigField, Object> v, List<Violation> violations) {
        if (isTrue(v, startTls) && isTrue(v, ssl)) {
            violations.add(new Violation(ssl.jsonName(), "excludes " + startTls.jsonName()
                    + ": choose implicit TLS or STARTTLS, not both"));
        }
    }

    /** A server with a host needs the user and password to sign in with. */
    void checkSignIn(Map<ConfigField, Object> v, List<Violation> violations) {
        if (v.get(host) == null) {
            return;
        }
        for (ConfigField f : List.of(user, password)) {
            if (v.get(f) == null) {
                violations.add(new Violation(f.jsonName(), "is required with " + host.jsonName()));
            }
        }
    }

    /** The password with its reference resolved; a failure is reported against the password field. */
    Secret resolvePassword(Secret current, SecretReferences.Resolver resolver, List<Violation> problems) {
        return SecretReferences.resolveOne(password.jsonName(), current, resolver, problems);
    }

    private static boolean isTrue(Map<ConfigField, Object> v, ConfigField f) {
        return Boolean.TRUE.equals(v.get(f));
    }
}
