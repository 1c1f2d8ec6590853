package io.github.kafkamailer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.unsubscribe.UnsubscribeTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /unsubscribe/TOKEN}: POST writes, GET shows a button, a bad token gets 400; nothing reveals the address. */
class UnsubscribeEndpointTest {
    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
    private final UnsubscribeTokens tokens = new UnsubscribeTokens("a key of at least thirty-two bytes!!");
    private final List<Suppression> written = new CopyOnWriteArrayList<>();
    private volatile boolean brokerDown;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private HttpEndpoints server;

    @BeforeEach
    void start() throws IOException {
        server = new HttpEndpoints("127.0.0.1", 0, () -> "", () -> true, () -> true,
                new HttpEndpoints.Limits(Duration.ofSeconds(5), 64, 2, 2), true)
                .routeSlow("/unsubscribe/", new UnsubscribeEndpoint(tokens, s -> {
                    if (brokerDown) {
                        throw new java.util.concurrent.TimeoutException("broker down");
                    }
                    written.add(s);
                }, Clock.fixed(NOW, ZoneOffset.UTC)))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI link(String token) {
        return URI.create("http://127.0.0.1:" + server.port() + "/unsubscribe/" + token);
    }

    private HttpResponse<String> post(String token, String type, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(link(token)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String token) throws Exception {
        return client.send(HttpRequest.newBuilder(link(token)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldWriteAnUnsubscribedSuppressionOnAOneClickPost() throws Exception {
        String token = tokens.tokenFor("acme", "Bob@Example.com");

        HttpResponse<String> r = post(token, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(written).containsExactly(
                new Suppression("acme", "bob@example.com", SuppressionReason.UNSUBSCRIBED, NOW));
        assertThat(r.body()).doesNotContainIgnoringCase("bob").doesNotContain("acme");
        assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }

    @Test
    void shouldTakeTheMultipartFormRfc8058Prefers() throws Exception {
        String body = "--b1\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b1--\r\n";

        HttpResponse<String> r = post(tokens.tokenFor("acme", "bob@example.com"), "multipart/form-data; boundary=b1",
                body);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(written).hasSize(1);
    }

    @Test
    void shouldShowOneButtonOnGetAndWriteNothing() throws Exception {
        HttpResponse<String> r = get(tokens.tokenFor("acme", "bob@example.com"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<form method=\"post\">")
                .contains("name=\"List-Unsubscribe\" value=\"One-Click\"").contains("<button");
        assertThat(r.body()).doesNotContainIgnoringCase("bob").doesNotContain("<script");
        assertThat(written).isEmpty();
    }

    @Test
    void shouldAnswer400AndWriteNothingForABadToken() throws Exception {
        String token = tokens.tokenFor("acme", "bob@example.com");
        String otherKey = new UnsubscribeTokens("another key of at least thirty-two bytes").tokenFor("acme",
                "bob@example.com");
        String altered = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);

        for (String bad : List.of(otherKey, altered, "forged.token", "")) {
            assertThat(post(bad, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").statusCode())
                    .as(bad).isEqualTo(400);
            assertThat(get(bad).statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(written).isEmpty();
    }

    @Test
    void shouldAnswer400AndWriteNothingForAPostWithoutTheOneClickField() throws Exception {
        String token = tokens.tokenFor("acme", "bob@example.com");

        assertThat(post(token, "application/x-www-form-urlencoded", "").statusCode()).isEqualTo(400);
        assertThat(post(token, "application/x-www-form-urlencoded", "List-Unsubscribe=Other").statusCode())
                .isEqualTo(400);
        assertThat(written).isEmpty();
    }

    @Test
    void shouldAnswer503WhenTheSuppressionCanNotBeStored() throws Exception {
        brokerDown = true;

        HttpResponse<String> r = post(tokens.tokenFor("acme", "bob@example.com"), "application/x-www-form-urlencoded",
                "List-Unsubscribe=One-Click");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).doesNotContainIgnoringCase("bob");
    }
}
