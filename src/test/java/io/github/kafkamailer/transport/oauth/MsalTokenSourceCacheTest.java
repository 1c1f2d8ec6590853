package io.github.kafkamailer.transport.oauth;

import io.github.kafkamailer.testing.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.model.MailerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What {@link MsalTokenSourceTest} leaves out: short-lived tokens (which msal4j's own cache never reuses), one
 * request for many threads at once, a cache entry per secret and per scope, and the error codes of the
 * identity platform other than {@code invalid_client}.
 */
class MsalTokenSourceCacheTest {
    private static final String OUTLOOK = "https://outlook.office365.com/.default";
    private static final String GRAPH = "https://graph.microsoft.com/.default";

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

    private MailerConfig config() {
        return standIn.config(Map.of());
    }

    private void advance(Duration d) {
        clock.advance(d);
    }

    @Test
    void shouldReuseAShortLivedTokenForHalfItsLifeThenRenewIt() {
        standIn.issues("short-1", 240);
        assertThat(tokens.token(config(), OUTLOOK).value()).isEqualTo("short-1");
        advance(Duration.ofSeconds(110));
        assertThat(tokens.token(config(), OUTLOOK).value()).isEqualTo("short-1");
        assertThat(standIn.tokenRequests()).hasSize(1);

        standIn.issues("short-2", 240);
        advance(Duration.ofSeconds(15));
        assertThat(tokens.token(config(), OUTLOOK).value()).isEqualTo("short-2");
        assertThat(standIn.tokenRequests()).hasSize(2);
    }

    @Test
    void shouldSendOneRequestWhenManyThreadsAskForTheSameTokenAtOnce() throws Exception {
        standIn.server.stubFor(post(urlPathEqualTo(standIn.tokenPath())).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay(300)
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"shared\"}")));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> got = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return tokens.token(config(), OUTLOOK).value();
                }));
            }
            start.countDown();
            for (Future<String> f : got) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("shared");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(standIn.tokenRequests()).hasSize(1);
    }

    @Test
    void shouldAskAgainWhenTheSecretChangesAndKeepEachScopeApart() {
        standIn.issues("tok", 3600);
        MailerConfig first = config();
        MailerConfig rotated = standIn.config(Map.of("clientSecret", "rotated-s3cret"));

        tokens.token(first, OUTLOOK);
        tokens.token(first, GRAPH);
        tokens.token(rotated, OUTLOOK);
        // The same three again, from new config objects (a re-read of the same record): all cached.
        tokens.token(config(), OUTLOOK);
        tokens.token(config(), GRAPH);
        tokens.token(standIn.config(Map.of("clientSecret", "rotated-s3cret")), OUTLOOK);

        assertThat(standIn.tokenRequests()).hasSize(3);
        assertThat(standIn.tokenRequests()).extracting(r -> r.getBodyAsString().contains("graph.microsoft.com"))
                .containsExactlyInAnyOrder(false, true, false);
    }

    @Test
    void shouldReportAnUnknownClientAsPermanent() {
        standIn.refuses("unauthorized_client", 400);
        assertThatThrownBy(() -> tokens.token(config(), OUTLOOK))
                .isInstanceOfSatisfying(TokenSource.TokenException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("unauthorized_client");
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).contains(TokenStandIn.TENANT).doesNotContain(TokenStandIn.SECRET);
                });
    }

    @Test
    void shouldReportAServerErrorAsNotPermanentAndTakeATokenOnceItIsBack() {
        standIn.server.stubFor(post(urlPathEqualTo(standIn.tokenPath())).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS90033: busy\"}")));
        assertThatThrownBy(() -> tokens.token(config(), OUTLOOK))
                .isInstanceOfSatisfying(TokenSource.TokenException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).contains(TokenStandIn.TENANT).doesNotContain(TokenStandIn.SECRET);
                });

        standIn.server.resetAll();
        standIn.issues("back", 3600);
        assertThat(tokens.token(config(), OUTLOOK).value()).isEqualTo("back");
    }

    @Test
    void shouldReportAnHtmlErrorPageAsNotPermanent() {
        standIn.server.stubFor(post(urlPathEqualTo(standIn.tokenPath())).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Bad gateway</body></html>")));
        assertThatThrownBy(() -> tokens.token(config(), OUTLOOK))
                .isInstanceOfSatisfying(TokenSource.TokenException.class, e -> assertThat(e.permanent()).isFalse());
    }

    @Test
    void shouldNeverLogTheSecretAndWarnOnceForRepeatedRefusals() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            standIn.refuses("invalid_client", 401);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> tokens.token(config(), OUTLOOK))
                        .isInstanceOf(TokenSource.TokenException.class);
            }
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain(TokenStandIn.SECRET);
            if (e.getThrowableProxy() != null) {
                assertThat(e.getThrowableProxy().getMessage()).doesNotContain(TokenStandIn.SECRET);
            }
        });
        assertThat(logged.list).filteredOn(e -> e.getLoggerName().equals(MsalTokenSource.class.getName()))
                .hasSize(1);
        assertThat(standIn.tokenRequests()).hasSize(3);
    }
}
