package io.github.kafkamailer.topology;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts the emails handed to senders and not yet recorded, over all tasks, so that a graceful shutdown can
 * stop handing out more and wait for those in flight to be recorded (sent ids, statuses) before Kafka Streams
 * closes.
 */
public final class SendingGate {
    private final long maxBytes;
    private long inFlight;
    private long inFlightBytes;
    private boolean draining;

    /** No bound on the bytes in flight over all tenants (each tenant still has its own). */
    public SendingGate() {
        this(Long.MAX_VALUE);
    }

    /** @param maxBytes the bytes in flight over all tenants at most: many tenants' big emails can't fill the heap */
    public SendingGate(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized boolean tryStart(int emails, long bytes) {
        if (draining) {
            return false;
        }
        inFlight += emails;
        inFlightBytes += bytes;
        return true;
    }

    synchronized void finished(int emails, long bytes) {
        inFlight -= emails;
        inFlightBytes -= bytes;
        notifyAll();
    }

    /** Bytes that may still be handed out over all tenants; whatever it says, a tenant with nothing in flight
     * may always hand out one email, so none waits for ever. */
    synchronized long bytesRoom() {
        return maxBytes - inFlightBytes;
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
