package io.github.kafkamailer.admin;

import io.github.kafkamailer.json.Json;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.StatusEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Asks a running mailer's {@code GET /api/status} (CONTRACT.md): the CLI asks any instance, an instance asks the
 * one that holds the id ({@code scope=local}). Sends {@code Authorization: Bearer} with the peer token when one is
 * set (the token is never logged nor put in an answer).
 */
public final class StatusLookupClient implements StatusLookup {
    public static final String PATH = "/api/status";

    private final URI base;
    private final String tokenOrNull;
    private final Duration timeout;
    private final String extraQuery;
    private final HttpClient http;

    /**
     * @param base        the mailer's HTTP address, e.g. {@code http://127.0.0.1:8080}
     * @param tokenOrNull the peer token ({@code mailer.http.peer.token}), or null
     * @param extraQuery  added to the query (e.g. {@code scope=local} between instances), or empty
     */
    public StatusLookupClient(URI base, String tokenOrNull, Duration timeout, String extraQuery) {
        this(newHttpClient(timeout), base, tokenOrNull, timeout, extraQuery);
    }

    /** The same over an HTTP client of the caller's, shared between the peers it asks (one selector thread). */
    public StatusLookupClient(HttpClient http, URI base, String tokenOrNull, Duration timeout, String extraQuery) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.tokenOrNull = tokenOrNull == null || tokenOrNull.isBlank() ? null : tokenOrNull;
        this.timeout = timeout;
        this.extraQuery = extraQuery;
        this.http = http;
    }

    /** An HTTP/1.1 client (the JDK's server speaks nothing else: no upgrade attempt per request). */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /** The URI asked for that email. */
    public URI uri(String id, String tenantOrNull) {
        return URI.create(base + PATH + "?id=" + encode(id) + (tenantOrNull == null ? "" : "&tenant=" + encode(tenantOrNull))
                + (extraQuery.isEmpty() ? "" : "&" + extraQuery));
    }

    @Override
    public Answer latest(String id, String tenantOrNull) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(id, tenantOrNull)).timeout(timeout).GET()
                .header("Accept", "application/json");
        if (tokenOrNull != null) {
            request.header("Authorization", "Bearer " + tokenOrNull);
        }
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return switch (r.statusCode()) {
                case 200 -> found(r.body());
                case 404 -> isMailerAnswer(r.body()) ? new NotFound()
                        : new Unavailable("the server at " + base + " has no " + PATH + " (is it a mailer of version 0.2 or later?)");
                case 401, 403 -> new Unavailable("the mailer at " + base + " refused the request (HTTP " + r.statusCode()
                        + "): set the peer token (MAILER_HTTP_PEER_TOKEN or mailer.http.peer.token)");
                default -> new Unavailable("the mailer at " + base + " answered HTTP " + r.statusCode()
                        + errorOf(r.body()));
            };
        } catch (HttpTimeoutException e) {
            return new Unavailable("no answer from the mailer at " + base + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Unavailable("cannot reach a mailer at " + base + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unavailable("interrupted");
        } catch (IllegalArgumentException e) {
            return new Unavailable("the mailer at " + base + " answered something that is not a status: " + e.getMessage());
        }
    }

    private static Answer found(byte[] body) {
        List<StatusEvent> statuses = new java.util.ArrayList<>(StatusEventJson.parseOneOrMany(body));
        statuses.sort(Comparator.comparing(StatusEvent::at).reversed());
        return statuses.isEmpty() ? new NotFound() : new Found(statuses);
    }

    /** A mailer's 404 says so in JSON ({@code "error": "no status"}); another server's 404 doesn't. */
    private static boolean isMailerAnswer(byte[] body) {
        try {
            return Json.tolerantReader().readValue(body, Map.class).get("error") != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String errorOf(byte[] body) {
        try {
            Object e = Json.tolerantReader().readValue(body, Map.class).get("error");
            return e == null ? "" : ": " + e;
        } catch (IOException | RuntimeException notJson) {
            return "";
        }
    }

    /** A JSON body for an answer without a status: {@code {"error": reason, ...}}. */
    public static byte[] error(String reason, Map<String, String> more) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("error", reason);
        m.putAll(more);
        try {
            return Json.writer().writeValueAsBytes(m);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
