package io.github.kafkamailer.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The retry timing of CONTRACT.md ({@code maxErrorSeconds}): {@code campaignIntervalSeconds × 2^(attempts−1)}, at
 * most 15 minutes, ±20 % jitter, never past the expiry; for any interval and attempt count, without overflow.
 */
class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration CAP = Duration.ofMinutes(15);
    private static final int ONE_DAY = 86_400;

    private static Duration wait(RetryPolicy policy, int attempts, int interval) {
        return Duration.between(NOW, policy.nextAttempt(NOW, attempts, interval, NOW, Integer.MAX_VALUE));
    }

    /** The contract's backoff before jitter, computed without any chance of overflow. */
    private static Duration expected(int attempts, int interval) {
        BigInteger ms = BigInteger.valueOf(interval).multiply(BigInteger.valueOf(1000))
                .shiftLeft(Math.max(0, Math.min(attempts, 10_000) - 1));
        return ms.compareTo(BigInteger.valueOf(CAP.toMillis())) > 0 ? CAP : Duration.ofMillis(ms.longValueExact());
    }

    @Test
    void shouldDoubleFromTheIntervalWithoutJitterInTheMiddle() {
        RetryPolicy middle = new RetryPolicy(() -> 0.5);
        assertThat(List.of(1, 2, 3, 4, 5, 6).stream().map(a -> wait(middle, a, 20).toSeconds()))
                .containsExactly(20L, 40L, 80L, 160L, 320L, 640L);
    }

    @Test
    void shouldCapTheWaitAtFifteenMinutes() {
        RetryPolicy middle = new RetryPolicy(() -> 0.5);
        assertThat(wait(middle, 7, 20)).isEqualTo(CAP);
        assertThat(wait(middle, 1, 3600)).isEqualTo(CAP);
        assertThat(wait(middle, 1, 901)).isEqualTo(CAP);
        assertThat(wait(middle, 1, 900)).isEqualTo(CAP);
        assertThat(wait(middle, 1, 899)).isEqualTo(Duration.ofSeconds(899));
    }

    @Test
    void shouldKeepTheJitterWithinPlusOrMinusTwentyPercent() {
        assertThat(wait(new RetryPolicy(() -> 0.0), 1, 100)).isEqualTo(Duration.ofSeconds(80));
        assertThat(wait(new RetryPolicy(() -> 0.0), 30, 20)).isEqualTo(Duration.ofMinutes(12));
        Duration high = wait(new RetryPolicy(() -> Math.nextDown(1.0)), 1, 100);
        assertThat(high).isLessThanOrEqualTo(Duration.ofSeconds(120)).isGreaterThan(Duration.ofMillis(119_999));
        assertThat(wait(new RetryPolicy(() -> Math.nextDown(1.0)), 30, 20)).isLessThanOrEqualTo(Duration.ofMinutes(18));

        java.util.Random random = new java.util.Random(1);
        RetryPolicy jittered = new RetryPolicy(random::nextDouble);
        for (int i = 0; i < 10_000; i++) {
            int attempts = 1 + random.nextInt(12);
            Duration base = expected(attempts, 20);
            assertThat(wait(jittered, attempts, 20)).isBetween(base.multipliedBy(8).dividedBy(10),
                    base.multipliedBy(12).dividedBy(10));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 20, 3600, ONE_DAY, 1_000_000, Integer.MAX_VALUE})
    void shouldNeverOverflowWhateverTheIntervalAndTheAttempts(int interval) {
        RetryPolicy middle = new RetryPolicy(() -> 0.5);
        IntStream.concat(IntStream.rangeClosed(0, 130), IntStream.of(1_000, 1 << 20, Integer.MAX_VALUE - 1,
                Integer.MAX_VALUE)).forEach(attempts ->
                assertThat(wait(middle, attempts, interval)).as("attempts %d, interval %d s", attempts, interval)
                        .isEqualTo(expected(attempts, interval)));
    }

    @Test
    void shouldNeverWaitPastTheExpiry() {
        RetryPolicy high = new RetryPolicy(() -> Math.nextDown(1.0));
        Instant first = NOW.minusSeconds(3500);
        assertThat(high.nextAttempt(NOW, 8, 20, first, 3600)).isEqualTo(first.plusSeconds(3600));
        assertThat(high.nextAttempt(NOW, 1, 20, first, 3600)).isBefore(first.plusSeconds(3600));
        Instant alreadyExpired = NOW.minusSeconds(ONE_DAY * 2L);
        assertThat(high.nextAttempt(NOW, 3, 20, alreadyExpired, ONE_DAY)).isEqualTo(alreadyExpired.plusSeconds(ONE_DAY));
        assertThat(high.nextAttempt(NOW, 3, 20, NOW, 0)).isEqualTo(NOW);
        assertThat(high.nextAttempt(NOW, 3, 20, NOW, Integer.MAX_VALUE)).isAfter(NOW);
    }

    @Test
    void shouldExpireExactlyMaxErrorSecondsAfterTheFirstFailure() {
        Instant first = NOW.minusSeconds(100);
        assertThat(RetryPolicy.expired(first, NOW, 101)).isFalse();
        assertThat(RetryPolicy.expired(first, NOW, 100)).isTrue();
        assertThat(RetryPolicy.expired(first, NOW, 0)).isTrue();
        assertThat(RetryPolicy.expired(first, NOW, Integer.MAX_VALUE)).isFalse();
    }
}
