package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateWindowTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void shouldGiveOutNoMoreThanTheLimitWhileEmailsAreInFlight() {
        RateWindow w = new RateWindow(12);
        assertThat(w.available(T0)).isEqualTo(12);
        w.handedOut(12);
        assertThat(w.available(T0)).isZero();
        assertThat(w.available(T0.plusSeconds(3600))).as("in flight holds its place however long").isZero();
    }

    @Test
    void shouldFreeAPlaceOneMinuteAfterTheOutcomeNotAfterTheHandOut() {
        RateWindow w = new RateWindow(1);
        w.handedOut(1);
        w.returned(T0.plusSeconds(30), true);
        assertThat(w.available(T0.plusSeconds(89))).isZero();
        assertThat(w.nextFreeAt(T0.plusSeconds(89))).isEqualTo(T0.plusSeconds(90));
        assertThat(w.available(T0.plusSeconds(90))).isEqualTo(1);
    }

    @Test
    void shouldGiveBackAtOnceThePlaceOfAnEmailNoServerSaw() {
        RateWindow w = new RateWindow(2);
        w.handedOut(2);
        w.returned(T0, false);
        assertThat(w.available(T0)).isEqualTo(1);
    }

    /**
     * Random hand-outs and send durations: whenever each email reached the server (between its hand-out and its
     * recorded outcome), no 60-second window ever holds more than the limit.
     */
    @Test
    void shouldNeverLetSixtySecondsOfArrivalsExceedTheLimit() {
        Random random = new Random(42);
        int limit = 7;
        RateWindow w = new RateWindow(limit);
        List<Instant> arrivals = new ArrayList<>();
        List<Instant[]> inFlight = new ArrayList<>();
        Instant now = T0;
        for (int step = 0; step < 20_000; step++) {
            now = now.plusMillis(random.nextInt(700));
            // Outcomes come back after a random time; the server saw each somewhere in between.
            for (var it = inFlight.iterator(); it.hasNext(); ) {
                Instant[] f = it.next();
                if (!f[1].isAfter(now)) {
                    w.returned(f[1], true);
                    long span = Duration.between(f[0], f[1]).toMillis();
                    arrivals.add(f[0].plusMillis(span == 0 ? 0 : random.nextLong(span + 1)));
                    it.remove();
                }
            }
            int n = Math.min(w.available(now), random.nextInt(4));
            w.handedOut(n);
            for (int i = 0; i < n; i++) {
                inFlight.add(new Instant[] {now, now.plusMillis(random.nextInt(20_000))});
            }
        }
        arrivals.sort(null);
        for (int i = 0; i + limit < arrivals.size(); i++) {
            assertThat(Duration.between(arrivals.get(i), arrivals.get(i + limit)))
                    .as("arrivals %d..%d", i, i + limit).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        }
        assertThat(arrivals.size()).as("the limit is used, not starved").isGreaterThan(limit * 50);
    }

    @Test
    void shouldCarryTheWindowAcrossARestore() {
        RateWindow before = new RateWindow(3);
        before.handedOut(3);
        before.returned(T0, true);
        before.returned(T0.plusSeconds(10), true);
        before.returned(T0.plusSeconds(20), true);
        RateWindow after = new RateWindow(3);
        after.restore(before.recent(T0.plusSeconds(30)), T0.plusSeconds(30));
        assertThat(after.available(T0.plusSeconds(30))).isZero();
        assertThat(after.available(T0.plusSeconds(60))).isEqualTo(1);
    }

    @Test
    void shouldKeepWhatIsInFlightUnderANewLimit() {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        RateWindow w = new RateWindow(10);
        w.handedOut(4);
        w.returned(t0, true);
        RateWindow lower = w.withLimit(5, t0);
        assertThat(lower.available(t0)).as("1 recorded and 3 in flight of 5").isEqualTo(1);
        assertThat(lower.toSave(t0)).hasSize(4);
    }
}
