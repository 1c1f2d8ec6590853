package io.github.kafkamailer.transport.graph;

import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The Graph SDK's token provider for one tenant's credentials, backed by our {@link TokenSource}. It keeps the
 * token it got until shortly before it expires, so a whole run (and the runs after it) asks the token source
 * once; {@link #invalidate} forgets it when Graph refused it.
 *
 * <p>A token goes only to the configured Graph host, over https: the SDK asks for a token for every request,
 * and anything else gets none.
 */
final class GraphTokens implements AccessTokenProvider {
    /** A token this close to its expiry is renewed rather than sent. */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(1);

    private final TokenSource source;
    private final MailerConfig config;
    private final String scope;
    private final AllowedHostsValidator hosts;
    private final Clock clock;
    private TokenSource.AccessToken current;

    GraphTokens(TokenSource source, MailerConfig config, String scope, String graphHost, Clock clock) {
        this.source = source;
        this.config = config;
        this.scope = scope;
        this.hosts = new AllowedHostsValidator(graphHost);
        this.clock = clock;
    }

    /** The Graph host's scope: {@code https://graph.microsoft.com/.default} for {@code .../v1.0}. */
    static String scopeOf(URI graphBaseUrl) {
        String port = graphBaseUrl.getPort() < 0 ? "" : ":" + graphBaseUrl.getPort();
        return graphBaseUrl.getScheme().toLowerCase(Locale.ROOT) + "://" + graphBaseUrl.getHost() + port
                + "/.default";
    }

    String scope() {
        return scope;
    }

    /**
     * @throws TokenSource.TokenException when no token can be had; it reaches the caller of the Graph request
     *                                    unchanged
     */
    @Override
    public synchronized String getAuthorizationToken(URI uri, Map<String, Object> additionalContext) {
        if (!"https".equalsIgnoreCase(uri.getScheme()) || !hosts.isUrlHostValid(uri)) {
            return "";
        }
        if (current == null || expiresSoon(current)) {
            current = source.token(config, scope);
        }
        return current.value();
    }

    /** Forgets the token here and in the token source: the next request fetches a new one. */
    synchronized void invalidate() {
        current = null;
        source.invalidate(config, scope);
    }

    private boolean expiresSoon(TokenSource.AccessToken token) {
        return token.expiresAt() != null && !clock.instant().plus(RENEW_BEFORE_EXPIRY).isBefore(token.expiresAt());
    }

    @Override
    public AllowedHostsValidator getAllowedHostsValidator() {
        return hosts;
    }
}
