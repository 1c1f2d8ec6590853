package io.github.kafkamailer.app;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the time to the first email goes: each phase of the start is timed, from the JVM's start, and said in one
 * INFO line once Kafka Streams is started, then once when Streams first runs and once when the first email has
 * been handed to a server. Thread-safe: the last two come from a Streams thread and a sender thread.
 */
final class StartPhases {
    private static final Logger LOG = LoggerFactory.getLogger(StartPhases.class);

    /** Milliseconds since the JVM started. */
    private final LongSupplier sinceJvmStart;
    private final List<String> phases = new ArrayList<>();
    private long last;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean firstSent = new AtomicBoolean();

    StartPhases(LongSupplier sinceJvmStart) {
        this.sinceJvmStart = sinceJvmStart;
        this.last = 0;
    }

    /** Timed from the JVM's start (its uptime), so that loading the classes and the command line count too. */
    static StartPhases fromJvmStart() {
        return new StartPhases(() -> ManagementFactory.getRuntimeMXBean().getUptime());
    }

    /** The phase that ends now, named: what it took since the previous one. */
    synchronized void done(String phase) {
        long now = sinceJvmStart.getAsLong();
        phases.add(phase + " " + (now - last) + " ms");
        last = now;
    }

    /** The phases so far, in order, and when the last ended (ms since the JVM started). */
    synchronized String summary() {
        return String.join(", ", phases) + " (" + last + " ms since the JVM started)";
    }

    /** Says the phases so far. */
    void logStarted() {
        LOG.info("Start-up: {}", summary());
    }

    /** Kafka Streams is RUNNING: said the first time only. */
    void streamsRunning() {
        if (running.compareAndSet(false, true)) {
            LOG.info("Start-up: Kafka Streams running {} ms after the JVM started", sinceJvmStart.getAsLong());
        }
    }

    /** A sender finished its first email (whatever the outcome): said the first time only. */
    void firstSendDone() {
        if (firstSent.compareAndSet(false, true)) {
            LOG.info("Start-up: first email handed to a server {} ms after the JVM started",
                    sinceJvmStart.getAsLong());
        }
    }

    boolean firstSendSeen() {
        return firstSent.get();
    }
}
