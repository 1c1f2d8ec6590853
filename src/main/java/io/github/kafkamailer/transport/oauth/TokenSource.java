package io.github.kafkamailer.transport.oauth;

import io.github.kafkamailer.model.MailerConfig;

/**
 * App-only access tokens from Microsoft identity for a tenant's credentials ({@code tenantId}, {@code clientId},
 * {@code clientSecret}, {@code authorityHost}).
 *
 * <p>Contract: thread-safe; cheap when a valid token is cached (a token is reused until shortly before it
 * expires, one token request serving a whole batch and the batches after it); {@link #invalidate} forgets a
 * token that a server refused, so the next call fetches a new one.
 */
public interface TokenSource {
    /**
     * @param scope e.g. {@code https://outlook.office365.com/.default} or {@code https://graph.microsoft.com/.default}
     * @throws TokenException when no token can be had; never carries the secret
     */
    AccessToken token(MailerConfig config, String scope);

    void invalidate(MailerConfig config, String scope);

    /** A bearer token and when it expires. */
    record AccessToken(String value, java.time.Instant expiresAt) {
        @Override
        public String toString() {
            return "AccessToken[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * No token could be had. {@code errorCode} is the identity platform's ({@code invalid_client},
     * {@code unauthorized_client}, ...), or null when the endpoint could not be reached.
     */
    final class TokenException extends RuntimeException {
        private final String errorCode;
        private final boolean permanent;

        public TokenException(String message, String errorCode, boolean permanent, Throwable cause) {
            super(message, cause);
            this.errorCode = errorCode;
            this.permanent = permanent;
        }

        public String errorCode() {
            return errorCode;
        }

        /** True when retrying with the same credentials cannot help (wrong secret, unknown client). */
        public boolean permanent() {
            return permanent;
        }
    }
}
