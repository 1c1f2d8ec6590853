package io.github.kafkamailer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /api/...} answers a console session or the peers' token; anyone else learns only that it exists. */
class ApiGuardTest {
    private static final String TOKEN = "peer-token-0123456789abcdef";
    private static final String SECRET_ANSWER = "{\"tenants\":[{\"tenant\":\"acme-private\"}]}";

    private HttpEndpoints server;

    private int serve(Optional<String> token) throws IOException {
        server = new HttpEndpoints("127.0.0.1", 0, () -> "", () -> true, () -> true,
                new HttpEndpoints.Limits(Duration.ofSeconds(5), 64, 2, 2), true)
                .apiGuard(new ApiGuard(token, exchange -> {
                    String cookie = exchange.getRequestHeaders().getFirst("Cookie");
                    return cookie != null && cookie.contains("mailer_console=live-session");
                }));
        server.api("/api/pending", exchange -> {
            byte[] body = SECRET_ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }).start();
        return server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SlowClients.Answer get(int port, String... headers) throws IOException {
        StringBuilder raw = new StringBuilder("GET /api/pending HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : headers) {
            raw.append(h).append("\r\n");
        }
        return SlowClients.request(port, raw.append("\r\n").toString());
    }

    @Test
    void shouldTellAStrangerNothingButThatTheEndpointExists() throws IOException {
        int port = serve(Optional.of(TOKEN));
        SlowClients.Answer stranger = get(port);
        assertThat(stranger.status()).isEqualTo(401);
        assertThat(stranger.rest()).endsWith("\n\n" + ApiGuard.UNAUTHORIZED_BODY).doesNotContain("acme")
                .containsIgnoringCase("WWW-Authenticate: Bearer");
        assertThat(get(port, "Authorization: Bearer wrong-token-0123456789").status()).isEqualTo(401);
        assertThat(get(port, "Authorization: Bearer " + TOKEN + "x").status()).isEqualTo(401);
        assertThat(get(port, "Authorization: Basic " + TOKEN).status()).isEqualTo(401);
        assertThat(get(port, "Cookie: mailer_console=ended-session").status()).isEqualTo(401);
    }

    @Test
    void shouldAnswerThePeersTokenAndAConsoleSession() throws IOException {
        int port = serve(Optional.of(TOKEN));
        SlowClients.Answer peer = get(port, "Authorization: Bearer " + TOKEN);
        assertThat(peer.status()).isEqualTo(200);
        assertThat(peer.rest()).contains("acme-private");
        assertThat(get(port, "authorization: bearer " + TOKEN).status()).isEqualTo(200);
        assertThat(get(port, "Cookie: other=1; mailer_console=live-session").status()).isEqualTo(200);
    }

    @Test
    void shouldLetOnlyAConsoleSessionInWithoutAToken() throws IOException {
        int port = serve(Optional.empty());
        assertThat(get(port).status()).isEqualTo(401);
        assertThat(get(port, "Authorization: Bearer ").status()).isEqualTo(401);
        assertThat(get(port, "Authorization: Bearer anything-at-all-12345").status()).isEqualTo(401);
        assertThat(get(port, "Cookie: mailer_console=live-session").status()).isEqualTo(200);
    }

    @Test
    void shouldDeriveTheSameTokenFromTheSamePasswordAndNothingThatShowsIt() {
        String a = ApiGuard.tokenFromPassword("correct horse battery staple");
        assertThat(ApiGuard.tokenFromPassword("correct horse battery staple")).isEqualTo(a);
        assertThat(ApiGuard.tokenFromPassword("correct horse battery stapler")).isNotEqualTo(a);
        assertThat(a).hasSize(43).doesNotContain("horse").matches("[A-Za-z0-9_-]+");
    }
}
