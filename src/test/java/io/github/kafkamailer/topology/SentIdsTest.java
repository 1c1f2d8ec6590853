package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SentIdsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final SortedTestStore<Long> byId = new SortedTestStore<>();
    private final SortedTestStore<Long> byExpiry = new SortedTestStore<>();
    private final SentIds sent = new SentIds(byId.store(), byExpiry.store());

    @Test
    void forgetsTheExpiredABoundedNumberAtATimeInExpiryOrder() {
        for (int i = 0; i < 10; i++) {
            sent.remember("acme", "e" + i, T0.plusSeconds(i));
        }
        assertThat(sent.forgetExpired(T0.plusSeconds(5), 4)).isEqualTo(4);
        assertThat(sent.contains("acme", "e3")).isFalse();
        assertThat(sent.contains("acme", "e4")).isTrue();
        assertThat(sent.forgetExpired(T0.plusSeconds(5), 4)).isEqualTo(2);
        assertThat(sent.contains("acme", "e5")).isFalse();
        assertThat(sent.contains("acme", "e6")).isTrue();
        assertThat(sent.forgetExpired(T0.plusSeconds(5), 4)).isZero();
    }

    @Test
    void aLaterPassReadsFromWhereTheLastStoppedNotOverTheForgotten() {
        for (int i = 0; i < 10; i++) {
            sent.remember("acme", "e" + i, T0.plusSeconds(i));
        }
        sent.forgetExpired(T0.plusSeconds(5), 100);
        byExpiry.rangeStarts.clear();
        sent.forgetExpired(T0.plusSeconds(9), 100);
        assertThat(byExpiry.rangeStarts).hasSize(1);
        assertThat(byExpiry.rangeStarts.get(0)).startsWith(PendingKeys.fixedWidth(T0.plusSeconds(5).toEpochMilli()));
        assertThat(byExpiry.map).isEmpty();
    }

    @Test
    void anIdRememberedWithAnEarlierExpiryIsStillForgotten() {
        sent.remember("acme", "long", T0.plusSeconds(100));
        sent.forgetExpired(T0.plusSeconds(50), 100);
        sent.remember("acme", "e1", T0.plusSeconds(1));
        sent.remember("other", "e2", T0.plusSeconds(10));
        assertThat(sent.forgetExpired(T0.plusSeconds(50), 100)).isEqualTo(2);
        assertThat(sent.contains("acme", "e1")).isFalse();
        assertThat(sent.contains("acme", "long")).isTrue();
    }

    @Test
    void aClockThatWentBackFindsNothingExpiredAndNoInvalidRange() {
        sent.remember("acme", "e1", T0);
        sent.remember("acme", "e2", T0.plusSeconds(60));
        assertThat(sent.forgetExpired(T0.plusSeconds(1), 100)).isEqualTo(1);
        // The test store, like Kafka Streams' (which warns), refuses a range whose start is after its end.
        assertThat(sent.forgetExpired(T0.minusSeconds(30), 100)).isZero();
        assertThat(sent.forgetExpired(T0.plusSeconds(60), 100)).isEqualTo(1);
    }

    @Test
    void writesKeysInTheSameFixedWidthAsBefore() {
        for (long ms : new long[] {0, 1, 1_764_583_200_000L, 999_999_999_999_999L, 1_000_000_000_000_000L}) {
            assertThat(PendingKeys.fixedWidth(ms)).isEqualTo(String.format("%015d", ms));
        }
    }
}
