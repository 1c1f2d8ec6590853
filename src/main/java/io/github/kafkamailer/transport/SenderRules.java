package io.github.kafkamailer.transport;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import java.util.List;

/**
 * Who an email is from and where replies go (CONTRACT.md, {@code forcePostmaster}), shared by every transport
 * so SMTP and Graph follow the same rule.
 */
public final class SenderRules {
    private SenderRules() {
    }

    /** The From address; null when none can be chosen (no postmaster forced and no {@code from}). */
    public static String from(EmailEvent email, MailerConfig config) {
        if (config.forcePostmaster()) {
            return config.postmaster();
        }
        return email.from() != null ? email.from() : config.postmaster();
    }

    /**
     * Reply-To: the event's {@code replyTo} when it has one; with the postmaster forced, else the user's
     * {@code from}, so answers reach a person rather than a no-reply box.
     */
    public static List<String> replyTo(EmailEvent email, MailerConfig config) {
        if (!email.replyTo().isEmpty()) {
            return email.replyTo();
        }
        if (config.forcePostmaster() && email.from() != null) {
            return List.of(email.from());
        }
        return List.of();
    }
}
