package io.github.kafkamailer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.kafkamailer.admin.StatusLookup;
import io.github.kafkamailer.admin.StatusLookupClient;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.StatusEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/status?id=ID[&tenant=T]}: the latest status of an email, from the {@code status-latest} store of
 * whichever instance holds the id (CONTRACT.md). Kafka Streams' {@code queryMetadataForKey} names that instance;
 * this one answers from its own store, or asks the owner ({@code scope=local}) at its {@code application.server},
 * the mailer's HTTP address, with the peer token when one is set. When the owner doesn't answer, a standby copy
 * (this instance's or a peer's, {@code stale=true}) answers instead.
 *
 * <p>Answers: 200 with the status event (JSON, as on the status topic) when the tenant is given, else a JSON array
 * of the latest status of each tenant that used the id; 404 {@code {"error":"no status",...}}; 400 without an id;
 * 503 {@code {"error": why}} when no instance can answer now. The work, peer calls included, runs on a small pool of
 * its own, never on the server's threads; when that pool is full the answer is 503 at once.
 */
public final class StatusApi implements HttpHandler, StatusLookup, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusApi.class);
    public static final String PATH = StatusLookupClient.PATH;

    private final LatestStatusStore store;
    private final Clock clock;
    private final String self;
    private final Duration peerTimeout;
    private final String peerTokenOrNull;
    private final ThreadPoolExecutor pool;
    private final java.net.http.HttpClient peers;

    /**
     * @param self            this instance's {@code application.server} (host:port), so it doesn't ask itself
     * @param peerTokenOrNull sent to peers as {@code Authorization: Bearer} ({@code mailer.http.peer.token})
     */
    public StatusApi(LatestStatusStore store, Clock clock, String self, Duration peerTimeout,
                     String peerTokenOrNull) {
        this.store = store;
        this.clock = clock;
        this.self = self;
        this.peerTimeout = peerTimeout;
        this.peerTokenOrNull = peerTokenOrNull;
        this.peers = StatusLookupClient.newHttpClient(peerTimeout);
        this.pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "mailer-status-lookup");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod())) {
            try (ex) {
                ex.getResponseHeaders().set("Allow", "GET");
                ex.sendResponseHeaders(405, -1);
            }
            return;
        }
        try {
            pool.execute(() -> serve(ex));
        } catch (RejectedExecutionException busy) {
            send(ex, 503, StatusLookupClient.error("too many lookups at once: try again", Map.of()));
        }
    }

    private void serve(HttpExchange ex) {
        try {
            Map<String, String> q;
            try {
                q = query(ex.getRequestURI());
            } catch (IllegalArgumentException badEscape) {
                send(ex, 400, StatusLookupClient.error("malformed query", Map.of()));
                return;
            }
            String id = q.get("id");
            String tenant = q.get("tenant");
            if (id == null || id.isBlank()) {
                send(ex, 400, StatusLookupClient.error("id is required: " + PATH + "?id=ID[&tenant=T]", Map.of()));
                return;
            }
            Answer a = "local".equals(q.get("scope")) ? here(id, tenant, "true".equals(q.get("stale")))
                    : latest(id, tenant);
            if (a instanceof Found f) {
                send(ex, 200, json(f.statuses(), tenant != null));
            } else if (a instanceof Unavailable u) {
                send(ex, 503, StatusLookupClient.error(u.reason(), Map.of()));
            } else {
                Map<String, String> more = new HashMap<>(Map.of("id", id));
                if (tenant != null) {
                    more.put("tenant", tenant);
                }
                send(ex, 404, StatusLookupClient.error("no status", more));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("GET {} failed: {}", PATH, e.toString(), e);
            try {
                send(ex, 500, StatusLookupClient.error("internal error", Map.of()));
            } catch (IOException ignored) {
                // The client went away.
            }
        }
    }

    /** The latest status over every instance: from this one's store, or from the instance that holds the id. */
    @Override
    public Answer latest(String id, String tenantOrNull) {
        Optional<LatestStatusStore.Owner> owner = owner(id);
        if (owner.isEmpty()) {
            return new Unavailable("the mailer is starting or rebalancing: its stores can't be asked yet, try again");
        }
        LatestStatusStore.Owner o = owner.get();
        Answer active = o.active().equals(self) ? local(o.partition(), false, id, tenantOrNull)
                : peer(o.active(), "scope=local").latest(id, tenantOrNull);
        if (!(active instanceof Unavailable)) {
            return active;
        }
        for (String standby : o.standbys()) {
            Answer copy = standby.equals(self) ? local(o.partition(), true, id, tenantOrNull)
                    : peer(standby, "scope=local&stale=true").latest(id, tenantOrNull);
            if (!(copy instanceof Unavailable)) {
                return copy;
            }
        }
        return active;
    }

    /** A peer's question: this instance's store only (the partition must be here, active or, if asked, standby). */
    private Answer here(String id, String tenantOrNull, boolean stale) {
        return owner(id).map(o -> local(o.partition(), stale, id, tenantOrNull)).orElseGet(() ->
                new Unavailable("the mailer at " + self + " is starting or rebalancing"));
    }

    private Optional<LatestStatusStore.Owner> owner(String id) {
        try {
            return store.owner(id);
        } catch (RuntimeException notRunningYet) {
            return Optional.empty();
        }
    }

    private Answer local(int partition, boolean stale, String id, String tenantOrNull) {
        try {
            List<StatusEvent> out = new ArrayList<>();
            for (byte[] json : store.local(partition, stale, id, tenantOrNull, clock.millis())) {
                out.add(StatusEventJson.parse(json));
            }
            out.sort(java.util.Comparator.comparing(StatusEvent::at).reversed());
            return out.isEmpty() ? new NotFound() : new Found(out);
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            return new Unavailable("the mailer at " + self + " does not hold that email's store partition now"
                    + " (moving or restoring): try again");
        }
    }

    private StatusLookup peer(String address, String scope) {
        return new StatusLookupClient(peers, URI.create("http://" + address), peerTokenOrNull, peerTimeout, scope);
    }

    private static byte[] json(List<StatusEvent> statuses, boolean one) {
        if (one) {
            return StatusEventJson.write(statuses.get(0));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < statuses.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(StatusEventJson.write(statuses.get(i)));
        }
        out.write(']');
        return out.toByteArray();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(code, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
