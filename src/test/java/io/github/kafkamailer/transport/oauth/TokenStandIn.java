package io.github.kafkamailer.transport.oauth;

import io.github.kafkamailer.testing.TestTls;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * A local HTTPS stand-in of the Microsoft identity token endpoint (WireMock with the test certificate), for
 * the real msal4j client: {@code POST /{tenant}/oauth2/v2.0/token} answering the JSON the platform answers.
 */
public final class TokenStandIn implements AutoCloseable {
    public static final String TENANT = "contoso-tenant";
    public static final String SECRET = "client-s3cret-value";

    public final WireMockServer server;

    public TokenStandIn() {
        server = TestTls.httpsWireMock();
    }

    public String authorityHost() {
        return "https://localhost:" + server.httpsPort();
    }

    public String tokenPath() {
        return "/" + TENANT + "/oauth2/v2.0/token";
    }

    /** Answers every token request with {@code token}, valid {@code expiresIn} seconds. */
    public void issues(String token, long expiresIn) {
        server.stubFor(post(urlPathEqualTo(tokenPath())).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"ext_expires_in\":" + expiresIn
                        + ",\"access_token\":\"" + token + "\"}")));
    }

    /** Answers as the platform does for a wrong secret or an unknown client. */
    public void refuses(String error, int status) {
        server.stubFor(post(urlPathEqualTo(tokenPath())).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"" + error + "\",\"error_description\":\"AADSTS7000215: Invalid client secret"
                        + " provided.\",\"error_codes\":[7000215],\"trace_id\":\"t\",\"correlation_id\":\"c\"}")));
    }

    public List<LoggedRequest> tokenRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo(tokenPath())));
    }

    public MailerConfig config(Map<String, Object> extra) {
        Map<String, Object> c = new HashMap<>(Map.of("enabled", true, "useOAuth", true, "smtpHost", "127.0.0.1",
                "smtpUser", "mailer@contoso.example", "tenantId", TENANT, "clientId", "client-42",
                "clientSecret", SECRET, "postmaster", "noreply@contoso.example", "authorityHost", authorityHost()));
        c.putAll(extra);
        return ConfigRules.parse(c);
    }

    public static SSLSocketFactory trustingTheTestCertificate() {
        return TestTls.socketFactory();
    }

    @Override
    public void close() {
        server.stop();
    }
}
