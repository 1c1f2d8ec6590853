package io.github.kafkamailer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may call {@code /api/...}: the admin console's signed-in session (its cookie), or another instance of the
 * mailer with the peers' shared token ({@code Authorization: Bearer <token>}, compared in constant time). Anyone
 * else gets 401 and a body that tells nothing but that the endpoint exists. Apply it with {@link #protect} (or
 * {@link HttpEndpoints#api}, which also runs the handler on the slow lane).
 *
 * <p>Without a token (none set, no admin password to derive one from) only a console session passes: with the
 * console off, nobody.
 */
public final class ApiGuard {
    /** What the token is derived from the admin password with: instances that share the password share it. */
    static final String TOKEN_LABEL = "kafka-mailer peer token v1";
    static final String UNAUTHORIZED_BODY = "unauthorized\n";

    private final byte[] tokenDigest;
    private final Predicate<HttpExchange> signedIn;

    /**
     * @param token    the peers' shared token; empty for none
     * @param signedIn whether a request carries a live console session
     */
    public ApiGuard(Optional<String> token, Predicate<HttpExchange> signedIn) {
        this.tokenDigest = token.filter(t -> !t.isEmpty()).map(ApiGuard::sha256).orElse(null);
        this.signedIn = signedIn;
    }

    /**
     * The peers' token of an admin password: HMAC-SHA256 of a fixed label, keyed with the password, base64url.
     * The password can't be read back from it.
     */
    public static String tokenFromPassword(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(TOKEN_LABEL.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** {@code handler} behind this guard. */
    public HttpHandler protect(HttpHandler handler) {
        return exchange -> {
            if (allows(exchange)) {
                handler.handle(exchange);
            } else {
                refuse(exchange);
            }
        };
    }

    /** A request with the peers' token or a console session. */
    public boolean allows(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokenDigest != null
                    && MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).strip()));
        }
        try {
            return signedIn.test(exchange);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void refuse(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = UNAUTHORIZED_BODY.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(401, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Digests first, so that the comparison takes the same time whatever the lengths. */
    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
