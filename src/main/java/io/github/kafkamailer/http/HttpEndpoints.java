package io.github.kafkamailer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One of the mailer's HTTP servers: {@code /metrics} (Prometheus text format), {@code /health} (200 while the
 * stream threads are alive, else 503) and {@code /ready} (200 once the topology runs, else 503); the main one also
 * the console and {@code /api/...}. The JDK's own server: a few small endpoints need no framework.
 *
 * <p>No visitor can freeze the probes: a request's line, headers and body must arrive within the request deadline
 * (then its connection is closed); the server accepts a bounded number of connections and has a thread for
 * each; the console's and the API's handlers run on a {@link SlowLane} of their own, which answers 503 when full.
 * The management server ({@link #management}) serves the probes alone, on its own threads.
 */
public final class HttpEndpoints implements AutoCloseable {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /**
     * Seconds a request's line, headers and body may take to arrive (the JDK's own property, which also closes
     * connections that send nothing); the mailer enforces it on its threads too.
     */
    public static final String REQUEST_DEADLINE_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** How many connections each server accepts at once (the JDK's own property); beyond, it closes them. */
    public static final String MAX_CONNECTIONS_PROPERTY = "jdk.httpserver.maxConnections";
    /** How often the JDK's server looks for idle connections to close, in ms (10 s by default). */
    static final String CLOCK_TICK_PROPERTY = "sun.net.httpserver.clockTick";
    static final long DEFAULT_DEADLINE_SECONDS = 10;
    static final int DEFAULT_MAX_CONNECTIONS = 64;
    /** Threads beyond the connection bound: a thread ending its task while a new connection comes in. */
    static final int SPARE_THREADS = 8;

    static {
        // Read once, when the JDK's server class loads: set before the first server, unless given with -D.
        defaultProperty(REQUEST_DEADLINE_PROPERTY, Long.toString(DEFAULT_DEADLINE_SECONDS));
        defaultProperty(MAX_CONNECTIONS_PROPERTY, Integer.toString(DEFAULT_MAX_CONNECTIONS));
        defaultProperty(CLOCK_TICK_PROPERTY, "1000");
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * What bounds a server.
     *
     * @param requestDeadline how long a request may take to arrive and be answered on the server's own threads;
     *                        null for no limit
     * @param maxConnections  the connections a server accepts at once (its threads: as many, and a few spare)
     * @param slowThreads     threads of the slow lane (console, API)
     * @param slowQueue       requests waiting for them at most; beyond, 503
     */
    public record Limits(Duration requestDeadline, int maxConnections, int slowThreads, int slowQueue) {
        /** The JDK's properties, as given with -D or defaulted by the mailer; 4 slow threads and 16 waiting. */
        public static Limits fromSystemProperties() {
            long seconds = Long.getLong(REQUEST_DEADLINE_PROPERTY, DEFAULT_DEADLINE_SECONDS);
            int connections = Integer.getInteger(MAX_CONNECTIONS_PROPERTY, DEFAULT_MAX_CONNECTIONS);
            return new Limits(seconds > 0 ? Duration.ofSeconds(seconds) : null,
                    connections > 0 ? connections : 256, 4, 16);
        }
    }

    private final HttpServer server;
    private final DeadlineExecutor executor;
    private final SlowLane slow;
    private ApiGuard guard;

    /**
     * The main server, with the limits of the system properties.
     *
     * @param scrape  the Prometheus text of every meter
     * @param healthy whether the stream threads are alive
     * @param ready   whether the topology runs with its config table loaded
     */
    public HttpEndpoints(String bind, int port, Supplier<String> scrape, BooleanSupplier healthy, BooleanSupplier ready)
            throws IOException {
        this(bind, port, scrape, healthy, ready, Limits.fromSystemProperties(), true);
    }

    HttpEndpoints(String bind, int port, Supplier<String> scrape, BooleanSupplier healthy, BooleanSupplier ready,
                  Limits limits, boolean main) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        String name = main ? "mailer-http" : "mailer-management";
        executor = new DeadlineExecutor(name, limits.maxConnections() + SPARE_THREADS, limits.requestDeadline());
        server.setExecutor(executor);
        slow = main ? new SlowLane("mailer-http-slow", limits.slowThreads(), limits.slowQueue()) : null;
        server.createContext("/metrics", ex -> respond(ex, 200, PROMETHEUS_TEXT, scrape.get()));
        server.createContext("/health", ex -> status(ex, healthy.getAsBoolean(), "alive", "stream threads not alive"));
        server.createContext("/ready", ex -> status(ex, ready.getAsBoolean(), "ready", "not ready"));
        server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8", "not found\n"));
    }

    /**
     * The management server: only {@code GET /health}, {@code /ready} and {@code /metrics}, on threads of its own,
     * so that probes answer whatever the main server is busy with.
     */
    public static HttpEndpoints management(String bind, int port, Supplier<String> scrape, BooleanSupplier healthy,
                                           BooleanSupplier ready) throws IOException {
        return new HttpEndpoints(bind, port, scrape, healthy, ready, Limits.fromSystemProperties(), false);
    }

    /**
     * Serves {@code path} with {@code handler} on the server's own threads: only for quick answers that wait for
     * nothing (no Kafka, no peers, no mail server). Anything slower goes through {@link #routeSlow} or {@link #api}.
     */
    public HttpEndpoints route(String path, HttpHandler handler) {
        requireMain();
        server.createContext(path, handler);
        return this;
    }

    /** Serves {@code path} with {@code handler} on the slow lane (the admin console). */
    public HttpEndpoints routeSlow(String path, HttpHandler handler) {
        requireMain();
        server.createContext(path, slow.wrap(handler));
        return this;
    }

    /** Who may call the {@link #api} endpoints. */
    public HttpEndpoints apiGuard(ApiGuard apiGuard) {
        this.guard = apiGuard;
        return this;
    }

    /**
     * Serves an {@code /api/...} endpoint: behind the {@link ApiGuard} (console session or peers' token; else 401
     * at once), then on the slow lane.
     */
    public HttpEndpoints api(String path, HttpHandler handler) {
        if (guard == null) {
            throw new IllegalStateException("no ApiGuard: call apiGuard(...) first");
        }
        requireMain();
        server.createContext(path, guard.protect(slow.wrap(handler)));
        return this;
    }

    /**
     * Serves an {@code /api/...} endpoint behind the {@link ApiGuard}, on the server's own threads: only for a
     * handler that hands its work to a bounded pool of its own at once (the status lookup) and answers 503 when
     * that pool is full.
     */
    public HttpEndpoints apiOnItsOwnPool(String path, HttpHandler handler) {
        if (guard == null) {
            throw new IllegalStateException("no ApiGuard: call apiGuard(...) first");
        }
        requireMain();
        server.createContext(path, guard.protect(handler));
        return this;
    }

    private void requireMain() {
        if (slow == null) {
            throw new IllegalStateException("the management server serves the probes only");
        }
    }

    public HttpEndpoints start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests running or waiting on the slow lane. */
    int slowLoad() {
        return slow == null ? 0 : slow.load();
    }

    /** Requests cut at the deadline so far. */
    long cutRequests() {
        return executor.cutCount();
    }

    private static void status(HttpExchange ex, boolean ok, String yes, String no) throws IOException {
        respond(ex, ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? yes : no) + "\n");
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(code, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        if (slow != null) {
            slow.close();
        }
    }
}
