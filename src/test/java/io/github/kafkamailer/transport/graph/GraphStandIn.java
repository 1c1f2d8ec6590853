package io.github.kafkamailer.transport.graph;

import io.github.kafkamailer.testing.TestTls;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.X509TrustManager;

/**
 * A local HTTPS stand-in of Microsoft Graph (WireMock with the test certificate), the Graph clients that trust
 * it, and what it received. One server per test class; {@link #reset} before each test gives fresh stubs, a
 * fresh token source and fresh clients (no token kept from the test before).
 */
public final class GraphStandIn implements AutoCloseable {
    static final Duration RETRY_BUDGET = Duration.ofSeconds(5);
    static final int MAX_RETRIES = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    public final WireMockServer server;
    private final X509TrustManager trust = TestTls.trustManager();
    CountingTokenSource tokens;
    GraphClients clients;

    public GraphStandIn() {
        server = TestTls.httpsWireMock();
        reset();
    }

    public void reset() {
        server.resetAll();
        noDraftsYet();
        tokens = new CountingTokenSource();
        clients = new GraphClients(tokens, Clock.systemUTC(),
                new GraphClients.Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), MAX_RETRIES, RETRY_BUDGET),
                TestTls.sslContext(trust).getSocketFactory(), trust);
    }

    /** The drafts' lookup by Message-ID finds nothing (a stub of its own, kept by tests that stub POSTs). */
    public void noDraftsYet() {
        server.stubFor(get(urlPathMatching("/v1\\.0/users/[^/]+/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"value\":[]}")));
    }

    /** What the stand-in received, lookups (GET) left out. */
    public List<LoggedRequest> writes() {
        return requests().stream().filter(r -> !r.getMethod().getName().equals("GET")).toList();
    }

    public String baseUrl() {
        return "https://localhost:" + server.httpsPort() + "/v1.0";
    }

    /** A Graph tenant at this stand-in; {@code extra} adds or overrides config fields. */
    public MailerConfig config(Map<String, Object> extra) {
        Map<String, Object> c = new HashMap<>(Map.of("enabled", true, "useGraphApi", true, "tenantId", "tenant-1",
                "clientId", "client-1", "clientSecret", "s3cret", "postmaster", "noreply@example.com",
                "graphBaseUrl", baseUrl()));
        c.putAll(extra);
        return ConfigRules.parse(c);
    }

    public List<LoggedRequest> requests() {
        return server.findAll(anyRequestedFor(anyUrl()));
    }

    public static JsonNode json(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    @Override
    public void close() {
        server.stop();
    }
}
