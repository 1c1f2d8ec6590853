package io.github.kafkamailer.topology;

import io.github.kafkamailer.sending.SendResult;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The giving side of a handover ({@link Handover}), for one task being let go: each outcome that comes back while
 * it waits (at most {@code settleWait}) goes to the task's own partition of the topic the sending task reads,
 * flushed before the task is let go. The next owner gets the task only after that (cooperative rebalancing), holds
 * back the emails this task marked in flight until their handovers came, and records them as if its own senders
 * had returned them. An outcome that doesn't come back in time is not handed over: that email is sent again by the
 * next owner once it stopped waiting.
 */
final class TaskHandover {
    private static final Logger LOG = LoggerFactory.getLogger(TaskHandover.class);
    /**
     * When the current wait of each stream thread ends. A thread closes the tasks it lets go one after another, and
     * a task's senders go on until it is closed: waiting {@code settleWait} per task could add up past the thread's
     * {@code max.poll.interval.ms} (then the group drops it, and its other tasks are closed without a commit).
     * The tasks a thread lets go within one wait share it.
     */
    private static final ThreadLocal<long[]> THREAD_UNTIL = ThreadLocal.withInitial(() -> new long[] {0L, 0L});

    private final HandoverSettings settings;
    private final String by;
    private final TaskId task;
    private final String topic;
    private final long until;
    private int handed;

    /** @param by the incarnation of the task that handed the emails out (its markers') */
    TaskHandover(HandoverSettings settings, String by, String applicationId, TaskId task) {
        this.settings = settings;
        this.by = by;
        this.task = task;
        this.topic = MailerTopology.byTenantTopic(applicationId);
        long now = System.nanoTime();
        long[] shared = THREAD_UNTIL.get();
        if (shared[1] == 0 || now - shared[0] >= 0) {
            shared[0] = now + settings.settleWait().toNanos();
            shared[1] = 1;
        }
        this.until = shared[0];
    }

    /** How much longer to wait for outcomes; 0 once the wait is over (what came back already is still taken). */
    long nanosLeft() {
        return Math.max(0, until - System.nanoTime());
    }

    void handOver(PendingEmail p, SendResult r) {
        settings.publisher().send(HandoverRecords.of(topic, task.partition(), p,
                Handover.of(r.job().storeKey(), by, r)));
        handed++;
    }

    /** Flushes what was handed over; {@code stillInFlight} emails had no outcome in time. */
    void finish(int stillInFlight) {
        settings.publisher().flush();
        if (handed > 0 || stillInFlight > 0) {
            LOG.info("Task {} let go: {} outcome(s) handed over to its next owner; {} email(s) with no outcome within"
                    + " {} s, sent again by that owner once it waited {} s", task, handed, stillInFlight,
                    settings.settleWait().toSeconds(), settings.holdBack().toSeconds());
        }
    }
}
