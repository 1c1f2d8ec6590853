package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(8));

    @Test
    void shouldGiveEachSessionLongRandomIdAndToken() {
        Sessions.Session a = sessions.create("admin");
        Sessions.Session b = sessions.create("admin");
        assertThat(a.id()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(b.id());
        assertThat(a.csrf()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(a.id()).isNotEqualTo(b.csrf());
        assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrf());
        assertThat(a.handle()).hasSize(8).isNotEqualTo(a.id().substring(0, 8));
    }

    @Test
    void shouldEndASessionAfterIdleTime() {
        Sessions.Session s = sessions.create("admin");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).as("each request resets the idle time").isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void shouldEndASessionAfterItsAbsoluteLifetimeHoweverActive() {
        Sessions.Session s = sessions.create("admin");
        for (int i = 0; i < 8 * 4 - 1; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(s.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void shouldForgetAnEndedSessionAndUnknownIds() {
        Sessions.Session s = sessions.create("admin");
        sessions.end(s.id());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.find("made-up")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void shouldCompareSecretsExactly() {
        assertThat(Sessions.sameSecret("abc", "abc")).isTrue();
        assertThat(Sessions.sameSecret("abc", "abd")).isFalse();
        assertThat(Sessions.sameSecret("abc", null)).isFalse();
        assertThat(Sessions.sameSecret("abc", "abcd")).isFalse();
    }
}
