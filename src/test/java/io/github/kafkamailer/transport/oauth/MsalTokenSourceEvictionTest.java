package io.github.kafkamailer.transport.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** msal4j applications and tokens are not kept for ever: idle ones go, and their number is bounded. */
class MsalTokenSourceEvictionTest {
    private static final String OUTLOOK = "https://outlook.office365.com/.default";

    private TokenStandIn standIn;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

    @BeforeEach
    void setUp() {
        standIn = new TokenStandIn();
        standIn.issues("tok", 3600);
    }

    @AfterEach
    void tearDown() {
        standIn.close();
    }

    @Test
    void shouldDropTheOldSecretsAppAndTokenOnceItIsUnusedForAnHour() {
        MsalTokenSource tokens = new MsalTokenSource(clock, TokenStandIn.trustingTheTestCertificate());
        MailerConfig before = standIn.config(Map.of());
        MailerConfig rotated = standIn.config(Map.of("clientSecret", "rotated-s3cret"));

        tokens.token(before, OUTLOOK);
        clock.advance(Duration.ofMinutes(1));
        tokens.token(rotated, OUTLOOK);
        // Both valid at once (two tenants may share an app under two secrets): neither evicts the other.
        assertThat(tokens.holds(before, OUTLOOK)).isTrue();
        assertThat(tokens.entriesHeld()).isEqualTo(2);

        clock.advance(MsalTokenSource.IDLE_EVICTION.minusMinutes(30));
        tokens.token(rotated, OUTLOOK);
        clock.advance(Duration.ofMinutes(31));
        tokens.token(rotated, OUTLOOK);

        assertThat(tokens.holds(before, OUTLOOK)).isFalse();
        assertThat(tokens.holds(rotated, OUTLOOK)).isTrue();
        assertThat(tokens.entriesHeld()).isEqualTo(1);
    }

    @Test
    void shouldKeepAtMostTheBoundOfAppsAndTokens() {
        MsalTokenSource tokens = new MsalTokenSource(clock, TokenStandIn.trustingTheTestCertificate(),
                Duration.ofSeconds(30), 3);
        for (int i = 0; i < 6; i++) {
            tokens.token(standIn.config(Map.of("clientId", "app-" + i)), OUTLOOK);
        }

        assertThat(tokens.entriesHeld()).isEqualTo(3);
        assertThat(tokens.holds(standIn.config(Map.of("clientId", "app-0")), OUTLOOK)).isFalse();
        assertThat(tokens.holds(standIn.config(Map.of("clientId", "app-5")), OUTLOOK)).isTrue();
    }
}
