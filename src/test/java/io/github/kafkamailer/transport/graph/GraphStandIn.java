package io.github.kafkamailer.transport.graph;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A local HTTPS stand-in of Microsoft Graph (WireMock with the test certificate), the Graph clients that trust
 * it, and what it received. One server per test class; {@link #reset} before each test gives fresh stubs, a
 * fresh token source and fresh clients (no token kept from the test before).
 */
final class GraphStandIn implements AutoCloseable {
    static final Duration RETRY_BUDGET = Duration.ofSeconds(5);
    static final int MAX_RETRIES = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    final WireMockServer server;
    private final X509TrustManager trust = testTrust();
    CountingTokenSource tokens;
    GraphClients clients;

    GraphStandIn() {
        server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(Path.of("src/test/resources/tls/server.p12").toAbsolutePath().toString())
                .keystoreType("PKCS12")
                .keystorePassword("changeit")
                .keyManagerPassword("changeit"));
        server.start();
        reset();
    }

    void reset() {
        server.resetAll();
        tokens = new CountingTokenSource();
        clients = new GraphClients(tokens, Clock.systemUTC(),
                new GraphClients.Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), MAX_RETRIES, RETRY_BUDGET),
                sslContext(trust).getSocketFactory(), trust);
    }

    String baseUrl() {
        return "https://localhost:" + server.httpsPort() + "/v1.0";
    }

    /** A Graph tenant at this stand-in; {@code extra} adds or overrides config fields. */
    MailerConfig config(Map<String, Object> extra) {
        Map<String, Object> c = new HashMap<>(Map.of("enabled", true, "useGraphApi", true, "tenantId", "tenant-1",
                "clientId", "client-1", "clientSecret", "s3cret", "postmaster", "noreply@example.com",
                "graphBaseUrl", baseUrl()));
        c.putAll(extra);
        return ConfigRules.parse(c);
    }

    List<LoggedRequest> requests() {
        return server.findAll(anyRequestedFor(anyUrl()));
    }

    static JsonNode json(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509TrustManager testTrust() {
        try (InputStream in = GraphStandIn.class.getResourceAsStream("/tls/truststore.p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "changeit".toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test trust store", e);
        }
    }

    private static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
