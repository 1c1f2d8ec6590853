package io.github.kafkamailer.sending;

import java.util.List;

/**
 * The senders of one tenant's run: its {@code smtpConnections} sessions, each kept for the run. Jobs are sent
 * in the order given, spread over the sessions; each comes back exactly once through the result sink given at
 * open, from whichever thread sent it. Driven by one thread (the stream thread); results arrive on others.
 */
public interface TenantSender {
    /** Queues jobs to send. After {@link #halt} or {@link #finish}, jobs come back not attempted. */
    void submit(List<SendJob> jobs);

    /**
     * Sends nothing more in this run: jobs still queued come back not attempted, those being sent finish. Called
     * when the server proved unusable or asked to slow down.
     */
    void halt();

    /** The run is over: once the queue is empty the sessions close (off the calling thread). */
    void finish();
}
