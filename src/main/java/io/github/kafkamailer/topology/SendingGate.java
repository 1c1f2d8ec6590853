package io.github.kafkamailer.topology;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts the batches handed to senders and not yet recorded, so that a graceful shutdown can stop new batches
 * and wait for those in flight to be recorded (sent ids, statuses) before Kafka Streams closes.
 */
public final class SendingGate {
    private int inFlight;
    private boolean draining;

    synchronized boolean tryStart() {
        if (draining) {
            return false;
        }
        inFlight++;
        return true;
    }

    synchronized void finished() {
        inFlight--;
        notifyAll();
    }

    /** No batch starts after this. */
    public synchronized void beginDrain() {
        draining = true;
    }

    public synchronized boolean isDraining() {
        return draining;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Waits until every batch in flight is recorded; false when the timeout came first. */
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
