package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** Issue 9, item 6: a mailer whose stream threads keep failing is given up, and is not healthy meanwhile. */
class ThreadFailureWatchTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final ThreadFailureWatch watch = new ThreadFailureWatch(clock, fatal::add);
    private final RuntimeException boom = new IllegalStateException("boom");

    @Test
    void shouldReplaceAFailedThreadAndBeUnhealthyUntilItRunsAgain() {
        assertThat(watch.healthy()).isTrue();
        assertThat(watch.threadFailed(boom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(watch.healthy()).isFalse();
        watch.stateChanged(KafkaStreams.State.REBALANCING);
        assertThat(watch.healthy()).isFalse();
        watch.stateChanged(KafkaStreams.State.RUNNING);
        assertThat(watch.healthy()).isTrue();
        assertThat(fatal).isEmpty();
    }

    @Test
    void shouldGiveUpAtTheThirdFailureWithinFiveMinutesOnce() {
        watch.threadFailed(boom);
        clock.advance(Duration.ofMinutes(2));
        watch.threadFailed(boom);
        clock.advance(Duration.ofMinutes(2));
        assertThat(watch.threadFailed(boom)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        watch.stateChanged(KafkaStreams.State.ERROR);
        watch.stateChanged(KafkaStreams.State.RUNNING);

        await().atMost(Duration.ofSeconds(5)).until(() -> !fatal.isEmpty());
        assertThat(fatal).singleElement().asString().contains("3 times within 5 minutes").contains("boom");
        assertThat(watch.healthy()).isFalse();
    }

    @Test
    void shouldForgetFailuresOlderThanTheWindow() {
        watch.threadFailed(boom);
        watch.threadFailed(boom);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(watch.threadFailed(boom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        clock.advance(Duration.ofMinutes(1));
        assertThat(watch.threadFailed(boom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(watch.threadFailed(boom)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldGiveUpWhenStreamsReachesError() {
        watch.stateChanged(KafkaStreams.State.ERROR);
        await().atMost(Duration.ofSeconds(5)).until(() -> !fatal.isEmpty());
        assertThat(fatal).singleElement().asString().contains("ERROR");
        assertThat(watch.healthy()).isFalse();
    }
}
