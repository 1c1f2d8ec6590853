package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final LoginThrottle throttle = LoginThrottle.standard(clock);

    @Test
    void shouldLetAFewWrongPasswordsThroughThenLockOutForLongerAndLonger() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.lockedFor("10.0.0.1")).isEmpty();
            throttle.failed("10.0.0.1");
        }
        throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofMinutes(15));
        assertThat(throttle.lockedFor("10.0.0.2")).as("other addresses are not locked").isEmpty();
    }

    @Test
    void shouldClearTheRecordOnTheRightPassword() {
        for (int i = 0; i < 6; i++) {
            throttle.failed("10.0.0.1");
        }
        clock.advance(Duration.ofSeconds(1));
        throttle.succeeded("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).isEmpty();
    }

    @Test
    void shouldStartAfreshAfterAQuietPeriod() {
        for (int i = 0; i < 7; i++) {
            throttle.failed("10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(16));
        throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).isEmpty();
    }
}
