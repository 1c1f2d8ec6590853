package io.github.kafkamailer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the console's and {@code /api}'s handlers run: a few threads and a short queue of their own, apart from
 * the threads that read requests and answer the probes. A dead-letter scan, a Test connection (15 s a step) or a
 * call to the peers waits here, never in front of {@code /health}. When threads and queue are full, the request
 * is answered 503 with {@code Retry-After} at once.
 *
 * <p>The request body is read first, on the server's thread, under the request deadline; the handler then gets
 * it from memory, so a client that trickles its body never holds one of these threads. The handler answers on
 * this lane's thread, after the server's thread has moved on (the JDK's server lets an exchange end on another
 * thread).
 */
final class SlowLane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlowLane.class);
    /** A body larger than this is refused (413): the console's largest, a config or a list of ids, is far less. */
    static final int MAX_BODY = 1024 * 1024;
    static final String RETRY_AFTER_SECONDS = "5";

    private final ThreadPoolExecutor pool;

    SlowLane(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** {@code handler}, run on this lane. */
    HttpHandler wrap(HttpHandler handler) {
        return exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                answer(exchange, 413, "request body too large");
                return;
            }
            exchange.setStreams(new ByteArrayInputStream(body), null);
            try {
                pool.execute(() -> run(handler, exchange));
            } catch (RejectedExecutionException full) {
                exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
                answer(exchange, 503, "the mailer is busy with other console or API requests: try again in a few"
                        + " seconds");
            }
        };
    }

    private static void run(HttpHandler handler, HttpExchange exchange) {
        try {
            handler.handle(exchange);
        } catch (IOException | RuntimeException e) {
            // On the server's own thread the JDK would log and close the connection: the same here.
            LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString(), e);
            exchange.close();
        }
    }

    private static void answer(HttpExchange exchange, int status, String error) throws IOException {
        try (exchange) {
            byte[] bytes = ("{\"error\":\"" + error + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Requests running or waiting on this lane. */
    int load() {
        return pool.getActiveCount() + pool.getQueue().size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
