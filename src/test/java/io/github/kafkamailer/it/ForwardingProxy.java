package io.github.kafkamailer.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A small reverse proxy for tests, as an operator's nginx would be: it serves one sub-path on its own port, over
 * TLS when given a server context, and forwards each request under it to the same path on a backend, with the backend's own {@code Host} (rewritten)
 * and {@code X-Forwarded-For}, {@code -Host} and {@code -Proto} added. Every browser of a test comes from
 * 127.0.0.1, so each proxy stands for the edge as one client reaches it: it names {@code client} as the address it
 * saw, appended to any {@code X-Forwarded-For} the request already carries. Anything outside the sub-path is a 404
 * here, recorded in {@link #strays()}.
 */
final class ForwardingProxy implements AutoCloseable {
    /** Headers that belong to one connection, or that the JDK's client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "proxy-authorization", "date");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final String backend;
    private final String scheme;
    private final String clientAddress;
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final List<String> strays = new CopyOnWriteArrayList<>();

    /**
     * @param backend       such as {@code http://127.0.0.1:8080}
     * @param subPath       the path served, such as {@code /ops/mail/}
     * @param clientAddress the client's address as this proxy names it in {@code X-Forwarded-For}
     * @param tls           the server's TLS context, or null for plain HTTP
     */
    ForwardingProxy(String backend, String subPath, String clientAddress, SSLContext tls) throws IOException {
        this.backend = backend;
        this.clientAddress = clientAddress;
        this.scheme = tls == null ? "http" : "https";
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(executor);
        server.createContext(subPath.substring(0, subPath.length() - 1), ex -> {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals(subPath.substring(0, subPath.length() - 1)) || path.startsWith(subPath)) {
                forward(ex);
            } else {
                stray(ex);
            }
        });
        server.createContext("/", this::stray);
        server.start();
    }

    /** The address a browser opens, such as {@code https://127.0.0.1:41234/ops/mail/}. */
    String url(String path) {
        return origin() + path;
    }

    /** What a browser sends as {@code Origin} from a page of this proxy. */
    String origin() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Method and path of each request forwarded. */
    List<String> forwarded() {
        return forwarded;
    }

    /** Method and path of each request outside the sub-path. */
    List<String> strays() {
        return strays;
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            String target = backend + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                String n = name.toLowerCase(Locale.ROOT);
                if (!NOT_FORWARDED.contains(n) && !n.startsWith("x-forwarded-")) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            String earlier = ex.getRequestHeaders().getFirst("X-Forwarded-For");
            b.header("X-Forwarded-For", earlier == null ? clientAddress : earlier + ", " + clientAddress);
            b.header("X-Forwarded-Host", ex.getRequestHeaders().getFirst("Host"));
            b.header("X-Forwarded-Proto", scheme);
            forwarded.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
            HttpResponse<byte[]> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            r.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = r.body();
            boolean empty = out.length == 0 || "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(r.statusCode(), empty ? -1 : out.length);
            if (!empty) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    private void stray(HttpExchange ex) throws IOException {
        try (ex) {
            strays.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
            ex.sendResponseHeaders(404, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
