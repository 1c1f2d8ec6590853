package io.github.kafkamailer.app;

import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.unsubscribe.UnsubscribeLinks;
import io.github.kafkamailer.unsubscribe.UnsubscribeTokens;
import java.util.Optional;

/**
 * The mailer's own one-click unsubscribe links, from the process settings {@code mailer.unsubscribe.base.url} and
 * {@code mailer.unsubscribe.key} (both or neither, checked by {@link MailerSettings}). The key is a reference,
 * resolved here as a config record's would be ({@code mailer.secrets.dirs}, {@code mailer.secrets.env.prefix}); the
 * config records themselves may not reference it ({@link EnvironmentSecrets#of}). Its value is never logged.
 */
public final class UnsubscribeSetup {
    private UnsubscribeSetup() {
    }

    /**
     * The signer of the links; empty when the settings are not given.
     *
     * @throws IllegalArgumentException naming the setting when its reference can't be resolved or the key is too
     *                                  short (never quoting the key)
     */
    public static Optional<UnsubscribeTokens> tokens(ProcessSettings settings) {
        Optional<String> reference = settings.checked().unsubscribeKeyReference();
        if (reference.isEmpty()) {
            return Optional.empty();
        }
        try {
            String key = SecretReferences.resolveReference(reference.get(), EnvironmentSecrets.forTheMailer(settings));
            return Optional.of(new UnsubscribeTokens(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MailerSettings.UNSUBSCRIBE_KEY + ": " + e.getMessage());
        }
    }

    /** {@code transport}, with the mailer's own links made for the emails that ask for them. */
    static MailTransport around(MailTransport transport, ProcessSettings settings, Optional<UnsubscribeTokens> tokens) {
        return UnsubscribeLinks.around(transport, settings.checked().unsubscribeBaseUrl().orElse(null),
                tokens.orElse(null));
    }
}
