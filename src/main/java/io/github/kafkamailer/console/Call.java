package io.github.kafkamailer.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import io.github.kafkamailer.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request to the console, as its handlers see it: the path below the console's base path, the query, the JSON
 * body, the signed-in session, who sent it (through a trusted proxy: the client the proxy names), and the ways to
 * answer. Every answer carries the console's security headers.
 */
final class Call {
    /** Bodies larger than this are refused: a config or a list of ids is a few KiB. */
    static final int MAX_BODY = 256 * 1024;

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** Thrown by a handler for a request it refuses; the console answers with its status and message. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final HttpExchange exchange;
    private final String path;
    private final Map<String, String> query;
    private final String client;
    private final boolean viaTrustedProxy;
    private Sessions.Session session;

    /**
     * @param proxies whose {@code X-Forwarded-For}, {@code -Host} and {@code -Proto} headers count; a request from
     *                any other peer is taken to come from that peer, whatever it says
     */
    Call(HttpExchange exchange, String path, TrustedProxies proxies) {
        this.exchange = exchange;
        this.path = path;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        InetAddress peer = exchange.getRemoteAddress().getAddress();
        this.viaTrustedProxy = proxies.trusts(peer);
        this.client = proxies.client(peer, exchange.getRequestHeaders().get("X-Forwarded-For")).getHostAddress();
    }

    String path() {
        return path;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    boolean isGet() {
        return "GET".equals(method()) || "HEAD".equals(method());
    }

    boolean isPost() {
        return "POST".equals(method());
    }

    /** A query parameter, empty when absent or blank. */
    Optional<String> query(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    String requiredQuery(String name) {
        return query(name).orElseThrow(() -> new Refused(400, "missing query parameter '" + name + "'"));
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The client's address, as the throttle and the audit log know it (see {@link TrustedProxies#client}). */
    String client() {
        return client;
    }

    /**
     * The host the browser asked for: from a trusted proxy, its {@code X-Forwarded-Host} (the first value, as the
     * proxy facing the browser set it) when it sends one; else the {@code Host} header.
     */
    String host() {
        String forwarded = viaTrustedProxy ? first(header("X-Forwarded-Host")) : null;
        return forwarded != null ? forwarded : header("Host");
    }

    /**
     * The scheme the browser used, when a trusted proxy says ({@code X-Forwarded-Proto}: {@code http} or
     * {@code https}); empty otherwise, as the mailer itself only speaks plain HTTP and can't tell.
     */
    Optional<String> forwardedScheme() {
        String proto = viaTrustedProxy ? first(header("X-Forwarded-Proto")) : null;
        if (proto == null) {
            return Optional.empty();
        }
        String p = proto.toLowerCase(Locale.ROOT);
        return p.equals("http") || p.equals("https") ? Optional.of(p) : Optional.empty();
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        String v = header.split(",", 2)[0].strip();
        return v.isEmpty() ? null : v;
    }

    void signedIn(Sessions.Session s) {
        this.session = s;
    }

    Sessions.Session session() {
        return session;
    }

    /** Who does this, for the audit log: the admin, their address and a short session handle. */
    String who() {
        return session == null ? "anonymous@" + client() : session.who() + "@" + client() + "#" + session.handle();
    }

    Optional<String> cookie(String name) {
        return cookie(exchange, name);
    }

    static Optional<String> cookie(HttpExchange exchange, String name) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return Optional.empty();
        }
        for (String h : headers) {
            for (String part : h.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                    return Optional.of(part.substring(eq + 1).strip());
                }
            }
        }
        return Optional.empty();
    }

    /** The body as a JSON object; a 400 when it is not one. */
    Map<String, Object> jsonBody() {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new Refused(413, "request body too large");
            }
            if (bytes.length == 0) {
                return new HashMap<>();
            }
            Map<String, Object> m = Json.tolerantReader().forType(OBJECT).readValue(bytes);
            return m == null ? new HashMap<>() : m;
        } catch (JsonProcessingException e) {
            throw new Refused(400, "the request body is not a JSON object");
        } catch (IOException e) {
            throw new Refused(400, "cannot read the request body");
        }
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void json(int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = Json.writer().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        send(status, "application/json; charset=utf-8", bytes);
    }

    void error(int status, String message) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        json(status, m);
    }

    void redirect(String location) throws IOException {
        securityHeaders();
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    void send(int status, String type, byte[] bytes) throws IOException {
        securityHeaders();
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(method());
        exchange.sendResponseHeaders(status, head ? -1 : (bytes.length == 0 ? -1 : bytes.length));
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * An HTML page made to be framed by the console's own pages and by nothing else (the templates page's preview
     * of an email): sandboxed to an origin of its own, no script, no form, nothing fetched from elsewhere; inline
     * styles allowed, as emails carry them.
     */
    void sendSandboxedHtml(byte[] html) throws IOException {
        var h = exchange.getResponseHeaders();
        h.set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
                + " form-action 'none'; frame-ancestors 'self'; base-uri 'none'");
        h.set("X-Frame-Options", "SAMEORIGIN");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        h.set("Content-Type", "text/html; charset=utf-8");
        boolean head = "HEAD".equals(method());
        exchange.sendResponseHeaders(200, head || html.length == 0 ? -1 : html.length);
        if (!head && html.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        }
    }

    void noContent() throws IOException {
        securityHeaders();
        exchange.sendResponseHeaders(204, -1);
    }

    /** No framing, no sniffing, no referrer, no inline script or style, nothing from elsewhere. */
    private void securityHeaders() {
        var h = exchange.getResponseHeaders();
        h.set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        h.set("X-Frame-Options", "DENY");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        if (!h.containsKey("Cache-Control")) {
            h.set("Cache-Control", "no-store");
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                throw new Refused(400, "malformed query string");
            }
        }
        return m;
    }
}
