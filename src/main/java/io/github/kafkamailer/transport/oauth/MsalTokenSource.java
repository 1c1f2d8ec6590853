package io.github.kafkamailer.transport.oauth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.github.kafkamailer.model.MailerConfig;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App-only tokens with msal4j's client-credentials flow, cached here per credentials and scope until shortly
 * before they expire. msal4j's own cache is not relied on: it never hits when the authority has a port, and
 * never reuses a token that lives 5 minutes or less.
 */
public final class MsalTokenSource implements TokenSource {
    private static final Logger LOG = LoggerFactory.getLogger(MsalTokenSource.class);
    /** Errors that the same credentials will always get: reported once, never fixed by retrying alone. */
    private static final Set<String> PERMANENT_ERRORS = Set.of("invalid_client", "unauthorized_client",
            "invalid_request", "invalid_scope", "invalid_grant", "invalid_tenant");
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Credentials and scopes kept at most (two scopes per tenant: SMTP and Graph). */
    static final int MAX_ENTRIES = 256;
    /**
     * An app and token unused this long are dropped: a changed secret's old app and token go within this time
     * (not at once: two tenants may share an app under two valid secrets, and must not evict each other).
     */
    static final Duration IDLE_EVICTION = Duration.ofHours(1);

    private final Clock clock;
    private final SSLSocketFactory sslSockets;
    private final Duration requestTimeout;
    private final int maxEntries;
    /**
     * The app and token of each credentials and scope, least recently used first. Bounded: an entry unused for
     * {@link #IDLE_EVICTION} is dropped (a changed secret, a tenant removed), and beyond {@code maxEntries} the
     * least recently used goes.
     */
    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            if (size() > maxEntries) {
                forgetReports(eldest.getKey());
                return true;
            }
            return false;
        }
    };
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** @param sslSockets the JVM's default in production; a test trust store for local stand-ins */
    public MsalTokenSource(Clock clock, SSLSocketFactory sslSockets) {
        this(clock, sslSockets, REQUEST_TIMEOUT);
    }

    /**
     * @param requestTimeout how long one token request may take in all; msal4j's HTTP client gets a third of it
     *                       to connect and to read each answer (it has no timeout of its own, and a silent endpoint
     *                       would hold its thread and socket for ever)
     */
    MsalTokenSource(Clock clock, SSLSocketFactory sslSockets, Duration requestTimeout) {
        this(clock, sslSockets, requestTimeout, MAX_ENTRIES);
    }

    MsalTokenSource(Clock clock, SSLSocketFactory sslSockets, Duration requestTimeout, int maxEntries) {
        this.clock = clock;
        this.sslSockets = sslSockets;
        this.requestTimeout = requestTimeout;
        this.maxEntries = maxEntries;
    }

    public MsalTokenSource(Clock clock) {
        this(clock, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** What a token is for; the secret only as a hash, so a changed secret is a new key. */
    private record Key(String authority, String clientId, String secretHash, String scope) {
    }

    private record Cached(AccessToken token, Instant renewAt) {
    }

    /** One credentials-and-scope's app (made on first use) and token; its monitor serialises token requests. */
    private static final class Entry {
        ConfidentialClientApplication app;
        volatile Cached cached;
        Instant lastUsed;
    }

    @Override
    public AccessToken token(MailerConfig config, String scope) {
        Key key = key(config, scope);
        Entry entry = entryFor(key);
        Cached cached = entry.cached;
        if (cached != null && clock.instant().isBefore(cached.renewAt())) {
            return cached.token();
        }
        // One token request in flight per key: a batch's threads share it rather than each asking.
        synchronized (entry) {
            cached = entry.cached;
            if (cached != null && clock.instant().isBefore(cached.renewAt())) {
                return cached.token();
            }
            AccessToken fresh = request(key, entry, config, scope);
            entry.cached = new Cached(fresh, renewAt(fresh));
            return fresh;
        }
    }

    @Override
    public void invalidate(MailerConfig config, String scope) {
        Key key = key(config, scope);
        Entry entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry != null) {
            entry.cached = null;
        }
    }

    /** The key's entry, made on first use; entries idle too long are dropped on the way. */
    private Entry entryFor(Key key) {
        Instant now = clock.instant();
        synchronized (entries) {
            Instant idleSince = now.minus(IDLE_EVICTION);
            entries.entrySet().removeIf(e -> {
                boolean idle = !e.getKey().equals(key) && e.getValue().lastUsed.isBefore(idleSince);
                if (idle) {
                    forgetReports(e.getKey());
                }
                return idle;
            });
            Entry entry = entries.computeIfAbsent(key, k -> new Entry());
            entry.lastUsed = now;
            return entry;
        }
    }

    /** Credentials and scopes held now, each with its app and token (tests). */
    int entriesHeld() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Whether an app or token is held for these credentials and scope (tests). */
    boolean holds(MailerConfig config, String scope) {
        synchronized (entries) {
            return entries.containsKey(key(config, scope));
        }
    }

    private void forgetReports(Key key) {
        String prefix = key + "|";
        reported.removeIf(s -> s.startsWith(prefix));
    }

    /** Renewed 5 minutes before expiry, or at half its life for a short-lived token. */
    private Instant renewAt(AccessToken t) {
        Duration life = Duration.between(clock.instant(), t.expiresAt());
        Duration margin = life.compareTo(RENEW_BEFORE.multipliedBy(2)) < 0 ? life.dividedBy(2) : RENEW_BEFORE;
        return t.expiresAt().minus(margin);
    }

    private AccessToken request(Key key, Entry entry, MailerConfig config, String scope) {
        String what = "token for client " + config.clientId() + " in tenant " + config.tenantId();
        try {
            if (entry.app == null) {
                entry.app = build(key, config);
            }
            ConfidentialClientApplication app = entry.app;
            IAuthenticationResult r = app.acquireToken(ClientCredentialParameters.builder(Set.of(scope))
                    .skipCache(true).build()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            forgetReports(key);
            // msal4j dates the expiry on the system clock; keep the lifetime, on ours (tests move it).
            Duration lifetime = Duration.between(Instant.now(), r.expiresOnDate().toInstant());
            return new AccessToken(r.accessToken(), clock.instant().plus(lifetime));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MsalServiceException m) {
                String code = m.errorCode() == null ? "unknown" : m.errorCode().toLowerCase(Locale.ROOT);
                boolean permanent = PERMANENT_ERRORS.contains(code);
                String message = what + " refused by " + key.authority() + ": " + code
                        + (m.statusCode() != null ? " (HTTP " + m.statusCode() + ")" : "");
                reportOnce(key, code, message);
                throw new TokenException(message, code, permanent, null);
            }
            String message = what + ": identity endpoint " + key.authority() + " unreachable ("
                    + (cause == null ? e.getClass().getSimpleName() : cause.getClass().getSimpleName()) + ")";
            reportOnce(key, "unreachable", message);
            throw new TokenException(message, null, false, null);
        } catch (TimeoutException e) {
            throw new TokenException(what + ": no answer from " + key.authority() + " within "
                    + requestTimeout.toSeconds() + " s", null, false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(what + ": interrupted", null, false, null);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new TokenException(what + ": " + e.getMessage(), null, true, null);
        }
    }

    /** One WARN per credentials and error, not one per email: the run's own log line says the rest. */
    private void reportOnce(Key key, String code, String message) {
        if (reported.add(key + "|" + code)) {
            LOG.warn("Microsoft identity: {}", message);
        }
    }

    private ConfidentialClientApplication build(Key key, MailerConfig config) {
        try {
            boolean microsoft = isMicrosoftHost(key.authority());
            int httpTimeoutMillis = (int) requestTimeout.dividedBy(3).toMillis();
            return ConfidentialClientApplication.builder(config.clientId(),
                            ClientCredentialFactory.createFromSecret(config.clientSecret().reveal()))
                    .authority(key.authority())
                    // Authority validation and instance discovery call Microsoft's own hosts: only for them.
                    .validateAuthority(microsoft)
                    .instanceDiscovery(microsoft)
                    .sslSocketFactory(sslSockets)
                    .connectTimeoutForDefaultHttpClient(httpTimeoutMillis)
                    .readTimeoutForDefaultHttpClient(httpTimeoutMillis)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("authority " + key.authority() + " is not a URL");
        }
    }

    private static boolean isMicrosoftHost(String authority) {
        String host = URI.create(authority).getHost();
        return host != null && (host.endsWith(".microsoftonline.com") || host.endsWith(".microsoftonline.us")
                || host.endsWith(".chinacloudapi.cn") || host.equals("login.microsoftonline.com"));
    }

    private static Key key(MailerConfig config, String scope) {
        if (config.tenantId() == null || config.clientId() == null || config.clientSecret() == null) {
            throw new TokenException("tenantId, clientId and clientSecret are required for a token", null, true, null);
        }
        String host = config.authorityHost().endsWith("/")
                ? config.authorityHost().substring(0, config.authorityHost().length() - 1) : config.authorityHost();
        return new Key(host + "/" + config.tenantId() + "/", config.clientId(), sha256(config.clientSecret().reveal()),
                scope);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
