package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.Priority;
import io.github.kafkamailer.sending.SendJob;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What one read of a run's due emails may take: the room's emails and bytes, and an email too big waits. */
class DueBatchTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static PendingEmail email(String id, int size) {
        return new PendingEmail("t", id, new byte[size], "s", T0, 0, null, T0);
    }

    @Test
    void shouldBeFullAtTheRoomsEmailsOrTheSettledBound() {
        DueBatch batch = new DueBatch(new DueBatch.Room(2, Long.MAX_VALUE), false);
        assertThat(batch.isEmpty()).isTrue();
        batch.take("k-a", email("a", 10));
        assertThat(batch.isFull(1000)).isFalse();
        batch.take("k-b", email("b", 10));
        assertThat(batch.isFull(1000)).isTrue();

        DueBatch settling = new DueBatch(new DueBatch.Room(2, Long.MAX_VALUE), false);
        settling.settled();
        assertThat(settling.isFull(2)).isFalse();
        settling.settled();
        assertThat(settling.isFull(2)).as("settled entries bound the tick's work too").isTrue();
        assertThat(settling.isEmpty()).isTrue();
    }

    @Test
    void shouldTakeEmailsWithinTheBytesButAlwaysOneAloneWithNothingInFlight() {
        long room = 2 * (100 + SendJob.OVERHEAD_BYTES);
        DueBatch batch = new DueBatch(new DueBatch.Room(10, room), false);
        assertThat(batch.fits(email("huge", 10_000))).as("alone, with nothing in flight: it goes").isTrue();
        batch.take("k-a", email("a", 100));
        assertThat(batch.fits(email("b", 100))).isTrue();
        batch.take("k-b", email("b", 100));
        assertThat(batch.bytes()).isEqualTo(room);
        assertThat(batch.fits(email("c", 1))).isFalse();
        assertThat(batch.jobs()).extracting(SendJob::storeKey).containsExactly("k-a", "k-b");
        assertThat(batch.entries()).extracting(PendingEmail::emailId).containsExactly("a", "b");
        assertThat(batch.took("a")).isTrue();
        assertThat(batch.took("c")).isFalse();

        DueBatch withInFlight = new DueBatch(new DueBatch.Room(10, 100), true);
        assertThat(withInFlight.fits(email("big", 1000))).as("it waits for what is in flight").isFalse();
    }

    @Test
    void shouldMarkTheJobOfAHighEmailHighForTheLanes() {
        DueBatch batch = new DueBatch(new DueBatch.Room(10, Long.MAX_VALUE), false);
        batch.take("k-h", email("h", 10).withPriority(Priority.HIGH));
        batch.take("k-n", email("n", 10));
        assertThat(batch.jobs()).extracting(SendJob::priority).containsExactly(Priority.HIGH, Priority.NORMAL);
    }

    @Test
    void shouldSayWhetherTheReadReachedTheEnd() {
        DueBatch batch = new DueBatch(new DueBatch.Room(1, 1), false);
        assertThat(batch.reachedEnd()).isTrue();
        batch.stopped();
        assertThat(batch.reachedEnd()).isFalse();
    }
}
