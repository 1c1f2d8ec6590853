package io.github.kafkamailer.model;

/**
 * An email's one-click unsubscribe (CONTRACT.md, "Email event", {@code unsubscribe}; RFC 8058): the producer's own
 * https endpoint, or the mailer's own signed link ({@code "unsubscribe": true}), which the mailer fills in when it
 * sends the email.
 *
 * @param url the https endpoint the email's {@code List-Unsubscribe} names; null for the mailer's own link, not yet
 *            made
 */
public record Unsubscribe(String url) {
    /** {@code "unsubscribe": true}: the mailer's own link, made when the email is sent. */
    public static Unsubscribe mailersOwn() {
        return new Unsubscribe(null);
    }

    /** {@code "unsubscribe": {"url": url}}. */
    public static Unsubscribe at(String url) {
        if (url == null) {
            throw new IllegalArgumentException("an unsubscribe url is required");
        }
        return new Unsubscribe(url);
    }

    /** True for {@code "unsubscribe": true}, until the mailer's link replaces it. */
    public boolean isMailersOwn() {
        return url == null;
    }
}
