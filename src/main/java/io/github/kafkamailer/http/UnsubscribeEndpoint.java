package io.github.kafkamailer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.unsubscribe.SuppressionWriter;
import io.github.kafkamailer.unsubscribe.UnsubscribeLinks;
import io.github.kafkamailer.unsubscribe.UnsubscribeTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailer's own one-click unsubscribe endpoint (CONTRACT.md, "One-click unsubscribe"; RFC 8058), at
 * {@code /unsubscribe/TOKEN}:
 * <ul>
 *   <li>{@code POST} with the form field {@code List-Unsubscribe=One-Click} (url-encoded or multipart) writes an
 *       {@code UNSUBSCRIBED} suppression for the token's tenant and recipient, and answers 200 once it is stored
 *       (503 when it could not be: the sender may try again);</li>
 *   <li>{@code GET} answers a page with one button that makes that POST, and writes nothing: mail scanners follow
 *       links;</li>
 *   <li>a token that is forged, altered or made with another key answers 400 and writes nothing.</li>
 * </ul>
 * No session and no CSRF token: the signed token is the only authority, and the link is in the recipient's email.
 * An answer tells nothing but success or failure (never the address); nothing of the token or the key is logged.
 * Served on the slow lane (it waits for Kafka), under the server's request deadline.
 */
public final class UnsubscribeEndpoint implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(UnsubscribeEndpoint.class);
    /** The form body is one field; anything much longer is no one-click request. */
    static final int MAX_BODY = 8 * 1024;
    private static final Pattern MULTIPART_ONE_CLICK = Pattern.compile(
            "Content-Disposition:\\s*form-data;\\s*name=\"?List-Unsubscribe\"?\\s*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n"
                    + "One-Click\\r?\\n", Pattern.CASE_INSENSITIVE);
    private static final String HTML = "text/html; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final UnsubscribeTokens tokens;
    private final SuppressionWriter writer;
    private final Clock clock;

    public UnsubscribeEndpoint(UnsubscribeTokens tokens, SuppressionWriter writer, Clock clock) {
        this.tokens = tokens;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method) && !"POST".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD, POST");
                answer(ex, 405, TEXT, "method not allowed\n");
                return;
            }
            Optional<UnsubscribeTokens.Recipient> who = tokens.read(tokenOf(ex.getRequestURI().getRawPath()));
            if (who.isEmpty()) {
                answer(ex, 400, TEXT, "This unsubscribe link is not valid.\n");
                return;
            }
            if (!"POST".equals(method)) {
                answer(ex, 200, HTML, PAGE);
                return;
            }
            if (!isOneClick(ex)) {
                answer(ex, 400, TEXT, "A one-click unsubscribe is a POST of List-Unsubscribe=One-Click.\n");
                return;
            }
            try {
                writer.write(new Suppression(who.get().tenant(), who.get().address(), SuppressionReason.UNSUBSCRIBED,
                        clock.instant()));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // The exception's class only: a broker's message could quote the record.
                LOG.warn("A one-click unsubscribe could not be recorded ({}); it answered 503",
                        e.getClass().getSimpleName());
                ex.getResponseHeaders().set("Retry-After", "60");
                answer(ex, 503, TEXT, "The unsubscribe could not be recorded just now. Please try again later.\n");
                return;
            }
            answer(ex, 200, HTML, DONE);
        }
    }

    /** The token: what follows the path's prefix, one segment; empty for anything else. */
    private static String tokenOf(String rawPath) {
        int at = rawPath == null ? -1 : rawPath.indexOf(UnsubscribeLinks.PATH);
        if (at != 0) {
            return "";
        }
        String token = rawPath.substring(UnsubscribeLinks.PATH.length());
        return token.indexOf('/') >= 0 ? "" : token;
    }

    /** The body carries the form field {@code List-Unsubscribe=One-Click} (RFC 8058, 3.1). */
    private static boolean isOneClick(HttpExchange ex) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            return false;
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("")
                .toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            return MULTIPART_ONE_CLICK.matcher(body).find();
        }
        for (String pair : body.strip().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (name.equals("List-Unsubscribe") && value.equals("One-Click")) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static void answer(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        // The token is in the URL: no page this one links to or loads may learn it.
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
        h.set("X-Frame-Options", "DENY");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** One button, posting the one-click form to this very URL; no script, no address. */
    static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Unsubscribe</title></head>
            <body><h1>Unsubscribe</h1>
            <p>Stop receiving these emails at this address?</p>
            <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
            <button type="submit">Unsubscribe</button></form>
            </body></html>
            """;

    static final String DONE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Unsubscribed</title></head>
            <body><h1>You are unsubscribed</h1><p>You will not receive these emails any more.</p></body></html>
            """;
}
