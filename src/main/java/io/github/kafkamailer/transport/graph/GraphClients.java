package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Secret;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The Graph SDK clients of this process: one {@link GraphServiceClient} per Graph endpoint and app credentials
 * (so one token per tenant app, reused across runs), all over one OkHttp client (one connection pool).
 *
 * <p>The SDK's retry handler retries 429, 503 and 504 by itself, honouring {@code Retry-After}; {@link Limits}
 * bounds it so that a throttled mailbox holds a sending run for {@link Limits#retryBudget} at most, after which
 * the email fails as transient and waits for the mailer's own retry.
 */
public final class GraphClients {
    /** Clients kept at most; the least recently used goes first (credentials changed, tenant removed). */
    private static final int MAX_CLIENTS = 32;
    /** A client unused this long is dropped, with its token. */
    static final Duration IDLE_EVICTION = Duration.ofHours(1);

    private final TokenSource tokens;
    private final Clock clock;
    private final Limits limits;
    private final OkHttpClient http;
    private final Map<Key, GraphClient> clients = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, GraphClient> eldest) {
            return size() > MAX_CLIENTS;
        }
    };
    private final MailboxPermits permits;

    /** Trusting the JVM's default trust store, as in production. */
    public GraphClients(TokenSource tokens, Clock clock, Limits limits) {
        this(tokens, clock, limits, httpBuilder(limits));
    }

    /** Trusting what {@code trust} trusts (a test trust store for a local stand-in of Graph). */
    public GraphClients(TokenSource tokens, Clock clock, Limits limits, SSLSocketFactory tls, X509TrustManager trust) {
        this(tokens, clock, limits, httpBuilder(limits).sslSocketFactory(tls, trust));
    }

    private GraphClients(TokenSource tokens, Clock clock, Limits limits, OkHttpClient.Builder http) {
        this.tokens = tokens;
        this.clock = clock;
        this.limits = limits;
        this.permits = new MailboxPermits(MailboxPermits.PER_MAILBOX, callTimeout(limits));
        // After the SDK's middleware: each attempt of a retried request takes a permit of its own, and the
        // retry handler's sleep holds none.
        this.http = http.addInterceptor(permits).build();
    }

    private static Duration callTimeout(Limits limits) {
        return limits.connectTimeout().plus(limits.readTimeout()).plus(limits.retryBudget());
    }

    private static OkHttpClient.Builder httpBuilder(Limits limits) {
        // The SDK's own middleware (retry, redirect, telemetry headers), with our timeouts.
        return GraphClientFactory.create(GraphServiceClient.getGraphClientOptions())
                .connectTimeout(limits.connectTimeout())
                .readTimeout(limits.readTimeout())
                .writeTimeout(limits.readTimeout())
                // One overall deadline per call, the SDK's own retries included: a server that trickles bytes
                // can't hold a sender for longer than this.
                .callTimeout(callTimeout(limits));
    }

    Limits limits() {
        return limits;
    }

    /** The shared HTTP client, for the upload-session chunks (sent without our token: the URL carries its own). */
    OkHttpClient http() {
        return http;
    }

    /** Graph requests in flight now for this host and mailbox (tests). */
    int inFlight(String host, String mailbox) {
        return permits.inFlight(host, mailbox);
    }

    /**
     * The client for this config's Graph endpoint and app credentials, made on first use. Clients unused for
     * {@link #IDLE_EVICTION} are dropped with the token they hold (a changed secret, a tenant removed); not at
     * once on a new secret, since two tenants may share an app under two valid secrets.
     */
    synchronized GraphClient client(MailerConfig config) {
        Instant now = clock.instant();
        Instant idleSince = now.minus(IDLE_EVICTION);
        Key key = Key.of(config);
        clients.entrySet().removeIf(e -> !e.getKey().equals(key) && e.getValue().lastUsed[0].isBefore(idleSince));
        GraphClient client = clients.computeIfAbsent(key, k -> create(config));
        client.lastUsed[0] = now;
        return client;
    }

    /** Clients kept now (tests). */
    synchronized int size() {
        return clients.size();
    }

    private GraphClient create(MailerConfig config) {
        String baseUrl = withoutTrailingSlash(config.graphBaseUrl());
        URI base = URI.create(baseUrl);
        GraphTokens provider = new GraphTokens(tokens, config, GraphTokens.scopeOf(base), base.getHost(), clock);
        GraphServiceClient service = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(provider), http);
        service.getRequestAdapter().setBaseUrl(baseUrl);
        return new GraphClient(service, provider, base.getHost());
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A Graph client and the token provider it authenticates with; when it was last handed out. */
    record GraphClient(GraphServiceClient service, GraphTokens tokens, String host, Instant[] lastUsed) {
        GraphClient(GraphServiceClient service, GraphTokens tokens, String host) {
            this(service, tokens, host, new Instant[1]);
        }
    }

    /** What makes two configs share a client: the endpoint and everything that decides the token. */
    private record Key(String graphBaseUrl, String authorityHost, String tenantId, String clientId,
                       Secret clientSecret) {
        static Key of(MailerConfig c) {
            return new Key(c.graphBaseUrl(), c.authorityHost(), c.tenantId(), c.clientId(), c.clientSecret());
        }
    }

    /**
     * Timeouts and the bounds of the SDK's retries.
     *
     * @param maxRetries  retries of one request after 429/503/504, at most {@value RetryHandlerOption#MAX_RETRIES}
     * @param retryBudget the longest the retries of one request may wait in all; a {@code Retry-After} that
     *                    would pass it ends the retries at once
     */
    public record Limits(Duration connectTimeout, Duration readTimeout, int maxRetries, Duration retryBudget) {
        /** The SDK's first-retry delay when Graph gives no Retry-After, in seconds. */
        private static final long BASE_DELAY_SECONDS = 1;

        public Limits {
            if (maxRetries < 0 || maxRetries > RetryHandlerOption.MAX_RETRIES) {
                throw new IllegalArgumentException("maxRetries must be 0 to " + RetryHandlerOption.MAX_RETRIES);
            }
            if (retryBudget.isNegative()) {
                throw new IllegalArgumentException("retryBudget must not be negative");
            }
        }

        /** 10 s to connect, 30 s to answer, 3 retries within 30 s. */
        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30), 3, Duration.ofSeconds(30));
        }

        /** The retry option of one request: its budget starts now. */
        RetryHandlerOption retryOption() {
            long deadline = System.nanoTime() + retryBudget.toNanos();
            return new RetryHandlerOption((delay, executionCount, request, response) -> {
                Duration wait = expectedWait(response, delay, executionCount);
                return wait != null && System.nanoTime() + wait.toNanos() <= deadline;
            }, maxRetries, BASE_DELAY_SECONDS);
        }

        /**
         * How long the SDK will sleep before this retry: {@code Retry-After} (seconds or an HTTP date) when
         * given, else its exponential back-off, taken at its longest. Null when the SDK can't wait on it: it
         * computes a negative sleep (and throws) for a negative, past or unparsable {@code Retry-After}.
         */
        static Duration expectedWait(Response response, long delaySeconds, int executionCount) {
            String retryAfter = response.header("Retry-After");
            if (retryAfter == null) {
                double seconds = executionCount < 2 ? delaySeconds
                        : (Math.pow(2, executionCount) - 1) * 0.5 + delaySeconds;
                return Duration.ofMillis((long) ((seconds + 1) * 1000));
            }
            try {
                long seconds = Long.parseLong(retryAfter.trim());
                return seconds < 0 ? null : Duration.ofSeconds(seconds);
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(retryAfter.trim()));
                    Duration d = Duration.between(Instant.now(), at);
                    return d.isNegative() || d.isZero() ? null : d;
                } catch (DateTimeParseException notADate) {
                    return null;
                }
            }
        }
    }
}
