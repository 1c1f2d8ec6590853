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

    @Test
    void shouldStayBoundedWhateverTenantNamesAHostileProducerInvents() {
        LastHour bounded = new LastHour(clock, 1_000);
        String padding = "x".repeat(10 * 1024);
        for (int i = 0; i < 100_000; i++) {
            bounded.deadLettered(i + padding, clock.instant());
        }
        assertThat(bounded.tenantsHeld()).isLessThanOrEqualTo(1_001);
        assertThat(bounded.nameCharsHeld()).isLessThanOrEqualTo(1_001L * (LastHour.NAME_CHARS + 1));
        // Nothing is lost from the total: the tenants beyond the bound are counted together.
        assertThat(bounded.counts().values().stream().mapToLong(LastHour.Counts::deadLettered).sum())
                .isEqualTo(100_000);
        assertThat(bounded.counts()).containsEntry(LastHour.OTHER, new LastHour.Counts(0, 99_000));
    }

    @Test
    void shouldMakeRoomForNewTenantsOnceTheOldOnesLeaveTheHour() {
        LastHour bounded = new LastHour(clock, 2);
        bounded.sent("a", clock.instant());
        bounded.sent("b", clock.instant());
        bounded.sent("c", clock.instant());
        assertThat(bounded.counts()).containsOnlyKeys("a", "b", LastHour.OTHER);
        clock.advance(Duration.ofMinutes(61));
        bounded.sent("d", clock.instant());
        assertThat(bounded.counts()).containsOnlyKeys("d");
        assertThat(bounded.tenantsHeld()).isEqualTo(1);
    }
}
