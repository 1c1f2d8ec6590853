package io.github.kafkamailer.app;

import io.github.kafkamailer.failure.Causes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a failed stream thread means for the process (CONTRACT.md, "Metrics": health and exit). One
 * failure is replaced: a broker hiccup or a rebalance gone wrong passes. But a thread that fails again and again
 * on the same record keeps the process alive while nothing moves, and {@code KafkaStreams.state()} stays
 * RUNNING meanwhile; so after {@value #MAX_FAILURES} failures within {@link #WINDOW}, or when Kafka Streams
 * reaches ERROR, the mailer is given up: the reason is logged and the fatal action runs (in production, exit with
 * status 1 for the supervisor to restart the process). Until a replaced thread is back to RUNNING, the mailer is
 * not healthy.
 */
final class ThreadFailureWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailureWatch.class);
    static final int MAX_FAILURES = 3;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Clock clock;
    private final Consumer<String> fatal;
    private final Deque<Instant> failures = new ArrayDeque<>();
    private final AtomicBoolean givenUp = new AtomicBoolean();
    private volatile boolean replacing;

    /**
     * @param fatal what to do once the mailer is given up, told why; called at most once, on a thread of its own
     *              (so that it may close the mailer, which waits for the stream threads)
     */
    ThreadFailureWatch(Clock clock, Consumer<String> fatal) {
        this.clock = clock;
        this.fatal = fatal;
    }

    /** The uncaught exception handler's decision for a stream thread that died of {@code e}. */
    StreamThreadExceptionResponse threadFailed(Throwable e) {
        Instant now = clock.instant();
        int recent;
        synchronized (failures) {
            failures.addLast(now);
            while (!failures.isEmpty() && failures.peekFirst().isBefore(now.minus(WINDOW))) {
                failures.removeFirst();
            }
            recent = failures.size();
        }
        replacing = true;
        if (recent >= MAX_FAILURES) {
            LOG.error("Stream thread failed ({} failures within {} min); giving up", recent, WINDOW.toMinutes(), e);
            giveUp("stream threads failed " + recent + " times within " + WINDOW.toMinutes() + " minutes, the last"
                    + " time with " + describe(e));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("Stream thread failed ({} within {} min; the mailer gives up at {}); replacing it (its task"
                + " restarts from the last commit)", recent, WINDOW.toMinutes(), MAX_FAILURES, e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The exception and its root cause, on one line, for the reason. */
    private static String describe(Throwable e) {
        Throwable root = Causes.root(e);
        String text = root == e ? e.toString() : e.getClass().getSimpleName() + " caused by " + root;
        return text.replaceAll("[\\r\\n]+", " ");
    }

    /** Kafka Streams' state listener. */
    void stateChanged(KafkaStreams.State newState) {
        if (newState == KafkaStreams.State.RUNNING) {
            if (replacing) {
                LOG.info("Kafka Streams runs again after a failed stream thread was replaced");
            }
            replacing = false;
        } else if (newState == KafkaStreams.State.ERROR) {
            giveUp("Kafka Streams reached the ERROR state");
        }
    }

    /** False while a failed thread is being replaced, and once the mailer is given up. */
    boolean healthy() {
        return !replacing && !givenUp.get();
    }

    private void giveUp(String reason) {
        if (!givenUp.compareAndSet(false, true)) {
            return;
        }
        LOG.error("The mailer stops, for its supervisor to restart it (nothing is lost: what was not committed is"
                + " read again at the next start). Why: {}", reason);
        Thread t = new Thread(() -> fatal.accept(reason), "mailer-fatal");
        t.setDaemon(false);
        t.start();
    }
}
