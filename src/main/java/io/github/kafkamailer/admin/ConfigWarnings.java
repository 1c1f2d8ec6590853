package io.github.kafkamailer.admin;

import io.github.kafkamailer.model.MailerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What is allowed in a config but probably not meant: said to the admin who publishes it (CLI, console), never
 * a reason to refuse the record.
 */
public final class ConfigWarnings {
    private ConfigWarnings() {
    }

    public static List<String> of(MailerConfig c) {
        List<String> out = new ArrayList<>();
        boolean smtp = !c.useGraphApi();
        boolean credentials = c.smtpUser() != null && (c.smtpPassword() != null || c.useOAuth());
        if (smtp && credentials && !c.startTls() && !c.smtpSsl()) {
            out.add("the SMTP " + (c.useOAuth() ? "token" : "password") + " of " + c.smtpUser() + " would travel in"
                    + " clear text to " + c.smtpHost() + ":" + c.smtpPort()
                    + ": set startTls (port 587) or smtpSsl (port 465)");
        }
        return out;
    }
}
