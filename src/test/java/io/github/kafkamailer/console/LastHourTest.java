package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LastHourTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:30Z"));
    private final LastHour lastHour = new LastHour(clock);

    @Test
    void shouldCountPerTenantWithinTheHour() {
        Instant now = clock.instant();
        lastHour.sent("acme", now.minusSeconds(10));
        lastHour.sent("acme", now.minus(Duration.ofMinutes(50)));
        lastHour.deadLettered("acme", now.minusSeconds(5));
        lastHour.sent("beta", now.minus(Duration.ofMinutes(61)));
        assertThat(lastHour.counts()).containsOnlyKeys("acme")
                .containsEntry("acme", new LastHour.Counts(2, 1));
    }

    @Test
    void shouldForgetWhatFallsOutOfTheWindow() {
        lastHour.sent("acme", clock.instant());
        clock.advance(Duration.ofMinutes(59));
        assertThat(lastHour.counts()).containsEntry("acme", new LastHour.Counts(1, 0));
        clock.advance(Duration.ofMinutes(2));
        assertThat(lastHour.counts()).isEmpty();
    }
}
