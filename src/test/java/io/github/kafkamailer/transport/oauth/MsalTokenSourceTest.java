package io.github.kafkamailer.transport.oauth;

import io.github.kafkamailer.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real msal4j client-credentials flow against a local HTTPS stand-in of the token endpoint. */
class MsalTokenSourceTest {
    private static final String SCOPE = "https://outlook.office365.com/.default";

    private TokenStandIn standIn;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private MsalTokenSource tokens;

    @BeforeEach
    void setUp() {
        standIn = new TokenStandIn();
        tokens = new MsalTokenSource(clock, TokenStandIn.trustingTheTestCertificate());
    }

    @AfterEach
    void tearDown() {
        standIn.close();
    }

    private static Map<String, String> form(LoggedRequest r) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            m.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return m;
    }

    @Test
    void shouldRequestAClientCredentialsTokenForTheScope() {
        standIn.issues("tok-1", 3600);
        assertThat(tokens.token(standIn.config(Map.of()), SCOPE).value()).isEqualTo("tok-1");

        assertThat(standIn.tokenRequests()).singleElement().satisfies(r -> {
            Map<String, String> form = form(r);
            assertThat(form).containsEntry("grant_type", "client_credentials").containsEntry("client_id", "client-42")
                    .containsEntry("client_secret", TokenStandIn.SECRET);
            assertThat(form.get("scope")).contains(SCOPE);
        });
    }

    @Test
    void shouldReuseATokenUntilShortlyBeforeItExpiresThenRenewIt() {
        standIn.issues("tok-1", 3600);
        for (int i = 0; i < 50; i++) {
            assertThat(tokens.token(standIn.config(Map.of()), SCOPE).value()).isEqualTo("tok-1");
        }
        clock.advance(Duration.ofMinutes(50));
        tokens.token(standIn.config(Map.of()), SCOPE);
        assertThat(standIn.tokenRequests()).hasSize(1);

        standIn.issues("tok-2", 3600);
        clock.advance(Duration.ofMinutes(6));
        assertThat(tokens.token(standIn.config(Map.of()), SCOPE).value()).isEqualTo("tok-2");
        assertThat(standIn.tokenRequests()).hasSize(2);
    }

    @Test
    void shouldFetchANewTokenAfterInvalidation() {
        standIn.issues("tok-1", 3600);
        tokens.token(standIn.config(Map.of()), SCOPE);
        standIn.issues("tok-2", 3600);
        tokens.invalidate(standIn.config(Map.of()), SCOPE);
        assertThat(tokens.token(standIn.config(Map.of()), SCOPE).value()).isEqualTo("tok-2");
    }

    @Test
    void shouldReportAWrongSecretAsPermanentWithItsCodeAndWithoutTheSecret() {
        standIn.refuses("invalid_client", 401);
        assertThatThrownBy(() -> tokens.token(standIn.config(Map.of()), SCOPE))
                .isInstanceOfSatisfying(TokenSource.TokenException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_client");
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).contains("invalid_client").contains(TokenStandIn.TENANT)
                            .doesNotContain(TokenStandIn.SECRET);
                });
    }

    @Test
    void shouldReportAnUnreachableEndpointAsNotPermanent() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> tokens.token(standIn.config(Map.of("authorityHost", "https://localhost:" + closed)), SCOPE))
                .isInstanceOfSatisfying(TokenSource.TokenException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).doesNotContain(TokenStandIn.SECRET);
                });
    }
}
