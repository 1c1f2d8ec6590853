package io.github.kafkamailer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probes answer within a second whatever clients do and however busy the console is (issue 15, point 3):
 * half-sent request lines and headers, bodies that trickle, handlers that take long; the stalled connections are
 * closed at the request deadline, and a full slow lane answers 503.
 */
class HttpEndpointsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final List<String> PROBES = List.of("/health", "/ready", "/metrics");

    private final CountDownLatch release = new CountDownLatch(1);
    private final SlowClients clients = new SlowClients();
    private HttpEndpoints main;
    private HttpEndpoints management;

    @BeforeEach
    void start() throws IOException {
        main = new HttpEndpoints("127.0.0.1", 0, () -> "mailer_up 1\n", () -> true, () -> true,
                new HttpEndpoints.Limits(DEADLINE, 64, 2, 2), true);
        // A console request that takes long: a Test connection against a server that never answers, say.
        main.routeSlow("/console", exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "done\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        main.start();
        management = new HttpEndpoints("127.0.0.1", 0, () -> "mailer_up 1\n", () -> true, () -> true,
                new HttpEndpoints.Limits(DEADLINE, 64, 1, 1), false).start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        clients.close();
        main.close();
        management.close();
    }

    @Test
    void shouldAnswerTheProbesWithinASecondWhileClientsStallAndTheConsoleIsBusy() throws Exception {
        int port = main.port();
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stalled.add(clients.stall(port, "GET /health HT"));
            stalled.add(clients.stall(port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: "));
            stalled.add(clients.stall(port, "POST /console/api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tenant\":"));
            stalled.add(clients.stall(port, "POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nab"));
        }
        // Two console requests running, two waiting: the slow lane is full.
        List<CompletableFuture<SlowClients.Answer>> console = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            console.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return SlowClients.get(port, "/console/api/test");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> main.slowLoad() == 4);

        SlowClients.Answer busy = SlowClients.get(port, "/console/");
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.rest()).containsIgnoringCase("Retry-After: 5").contains("busy");
        assertThat(busy.took()).isLessThan(SECOND);

        for (int p : List.of(port, management.port())) {
            for (String probe : PROBES) {
                SlowClients.Answer a = SlowClients.get(p, probe);
                assertThat(a.status()).as(probe + " on " + p).isEqualTo(200);
                assertThat(a.took()).as(probe + " on " + p).isLessThan(SECOND);
            }
        }

        for (Socket s : stalled) {
            assertThat(SlowClients.closedWithin(s, DEADLINE.plusSeconds(5))).as("closed: " + s).isTrue();
        }
        assertThat(main.cutRequests()).isGreaterThanOrEqualTo(16);
        for (String probe : PROBES) {
            assertThat(SlowClients.get(port, probe).took()).isLessThan(SECOND);
        }

        release.countDown();
        for (CompletableFuture<SlowClients.Answer> c : console) {
            assertThat(c.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    @Test
    void shouldHandTheSlowLaneABodyThatArrivedInFull() throws Exception {
        main.routeSlow("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        SlowClients.Answer echo = SlowClients.request(main.port(), "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nContent-Length: 15\r\n\r\n{\"tenant\":\"a\"}\n");
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.rest()).endsWith("{\"tenant\":\"a\"}\n");
    }

    @Test
    void shouldServeOnlyTheProbesOnTheManagementPort() throws Exception {
        for (String probe : PROBES) {
            assertThat(SlowClients.get(management.port(), probe).status()).isEqualTo(200);
        }
        assertThat(SlowClients.get(management.port(), "/console/").status()).isEqualTo(404);
        assertThat(SlowClients.get(management.port(), "/api/pending").status()).isEqualTo(404);
        assertThatThrownBy(() -> management.route("/api/x", exchange -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldGiveTheJdkServerItsBoundsUnlessTheUserDid() {
        // Set when the class loaded (every test here created a server): as given with -D, else the mailer's.
        assertThat(System.getProperty(HttpEndpoints.REQUEST_DEADLINE_PROPERTY)).isNotBlank();
        assertThat(System.getProperty(HttpEndpoints.MAX_CONNECTIONS_PROPERTY)).isNotBlank();
        HttpEndpoints.Limits limits = HttpEndpoints.Limits.fromSystemProperties();
        assertThat(limits.requestDeadline())
                .isEqualTo(Duration.ofSeconds(Long.getLong(HttpEndpoints.REQUEST_DEADLINE_PROPERTY)));
        assertThat(limits.maxConnections()).isEqualTo(Integer.getInteger(HttpEndpoints.MAX_CONNECTIONS_PROPERTY));
    }
}
