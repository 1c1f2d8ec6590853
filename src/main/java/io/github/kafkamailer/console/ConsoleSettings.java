package io.github.kafkamailer.console;

import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * What the admin console needs from the process that serves it.
 *
 * @param password         the admin password; the console exists only when there is one
 * @param sessionIdle      a session ends after this long without a request
 * @param kafkaClientProps {@code bootstrap.servers} and any client property (security, ...)
 * @param secrets          resolves {@code ${env:}} and {@code ${file:}} references for the Test button, as the
 *                         mailer does
 * @param tokens           Microsoft identity tokens for the Test button
 * @param tls              the TLS sockets the Test button connects with (the mailer's trust)
 * @param basePath         where the console is served, {@value #DEFAULT_BASE_PATH} by default; starts and ends
 *                         with {@code /} ({@link #checkBasePath})
 * @param proxies          the reverse proxies whose {@code X-Forwarded-*} headers are believed
 */
public record ConsoleSettings(String password, Duration sessionIdle, Properties kafkaClientProps, TopicNames topics,
                              Clock clock, SecretReferences.Resolver secrets, TokenSource tokens, SSLSocketFactory tls,
                              String basePath, TrustedProxies proxies) {
    public static final String DEFAULT_BASE_PATH = "/console/";
    /** Segments of letters, digits and {@code . _ ~ -}: nothing to escape in a page, a header or a cookie. */
    private static final Pattern BASE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+/");
    /** The HTTP server's other paths, which the console can't take. */
    private static final java.util.List<String> RESERVED = java.util.List.of("/metrics/", "/health/", "/ready/", "/api/");

    /** A session lasts at most this long after sign-in, however active. */
    public static final Duration SESSION_ABSOLUTE = Duration.ofHours(8);
    /** The longest a console request waits for Kafka. */
    public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);
    /** The longest each step of the Test button waits for the mail server or Microsoft identity. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    public ConsoleSettings {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the console needs a non-empty admin password");
        }
        checkBasePath(basePath);
        Objects.requireNonNull(proxies, "proxies");
    }

    /** The console at {@value #DEFAULT_BASE_PATH}, trusting no proxy. */
    public ConsoleSettings(String password, Duration sessionIdle, Properties kafkaClientProps, TopicNames topics,
                           Clock clock, SecretReferences.Resolver secrets, TokenSource tokens, SSLSocketFactory tls) {
        this(password, sessionIdle, kafkaClientProps, topics, clock, secrets, tokens, tls, DEFAULT_BASE_PATH,
                TrustedProxies.none());
    }

    /**
     * Returns {@code path} when it can be the console's base path: it starts and ends with {@code /}, is not
     * {@code /} itself nor another endpoint of the HTTP server ({@code /metrics/}, {@code /health/},
     * {@code /ready/}, {@code /api/}), and its segments are plain names (no {@code .} or {@code ..}, no character
     * that needs escaping).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkBasePath(String path) {
        if (path == null || !path.startsWith("/") || !path.endsWith("/")) {
            throw new IllegalArgumentException("must start and end with '/', such as /console/ or /ops/mail/, not '"
                    + path + "'");
        }
        if (!BASE_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("must be one or more names between slashes (letters, digits and"
                    + " . _ ~ -), such as /console/ or /ops/mail/, not '" + path + "'");
        }
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("must not contain '.' or '..' segments, not '" + path + "'");
            }
        }
        if (RESERVED.contains(path)) {
            throw new IllegalArgumentException("must not be one of the mailer's own paths " + RESERVED + ", not '"
                    + path + "'");
        }
        return path;
    }

    @Override
    public String toString() {
        return "ConsoleSettings[topics=" + topics + ", sessionIdle=" + sessionIdle + ", basePath=" + basePath
                + ", proxies=" + proxies + "]";
    }
}
