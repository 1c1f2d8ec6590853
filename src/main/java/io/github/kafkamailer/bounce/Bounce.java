package io.github.kafkamailer.bounce;

import java.util.regex.Pattern;

/**
 * One recipient of one email of ours that a delivery status notification (RFC 3464) reports as not delivered.
 *
 * @param tenant     the tenant that sent the email (read from the mailer's X-Mailer-Email-Id header, or its Message-ID)
 * @param emailId    the email's id
 * @param recipient  the recipient the report is about, as the report names it
 * @param status     the RFC 3463 status code, {@code 5.1.1} or {@code 4.2.2}
 * @param diagnostic the remote server's reply, when the report gives it; null otherwise
 */
public record Bounce(String tenant, String emailId, String recipient, String status, String diagnostic) {
    private static final Pattern STATUS = Pattern.compile("[45]\\.\\d{1,3}\\.\\d{1,3}");

    public Bounce {
        if (status == null || !STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("a bounce has a 4.x.x or 5.x.x status");
        }
    }

    /** A permanent failure (5.x.x): the address is suppressed. Otherwise transient (4.x.x). */
    public boolean permanent() {
        return status.charAt(0) == '5';
    }

    /** {@code permanent} or {@code transient}, the metric's kind. */
    public String kind() {
        return permanent() ? "permanent" : "transient";
    }

    /** The status event's error: the code, then the diagnostic. */
    public String error() {
        return diagnostic == null ? status : status + " " + diagnostic;
    }
}
