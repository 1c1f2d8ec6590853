package io.github.kafkamailer.topology;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts the emails handed to senders and not yet recorded, over all tasks, so that a graceful shutdown can
 * stop handing out more and wait for those in flight to be recorded (sent ids, statuses) before Kafka Streams
 * closes.
 */
public final class SendingGate {
    private long inFlight;
    private boolean draining;

    synchronized boolean tryStart(int emails) {
        if (draining) {
            return false;
        }
        inFlight += emails;
        return true;
    }

    synchronized void finished(int emails) {
        inFlight -= emails;
        notifyAll();
    }

    /** No email is handed out after this. */
    public synchronized void beginDrain() {
        draining = true;
    }

    public synchronized boolean isDraining() {
        return draining;
    }

    public synchronized long inFlight() {
        return inFlight;
    }

    /** Waits until every email in flight is recorded; false when the timeout came first. */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
