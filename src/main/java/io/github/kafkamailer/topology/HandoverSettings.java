package io.github.kafkamailer.topology;

import java.time.Duration;

/**
 * How a task that is let go settles what it has in flight, and how long its next owner waits for that.
 *
 * @param publisher  where the outgoing owner publishes its handovers
 * @param settleWait how long the outgoing owner waits in {@code close()} for the outcomes still in flight: the send
 *                   deadline plus a margin (the watchdog cuts a send at the deadline), never for ever
 * @param holdBack   how long, after a task started on an instance, an email its previous owner marked in flight
 *                   waits for that owner's handover before it is sent again (the crash case)
 */
public record HandoverSettings(HandoverPublisher publisher, Duration settleWait, Duration holdBack) {
    /** Beyond the send deadline, for the watchdog's check and a cut exchange to come back. */
    public static final Duration SETTLE_MARGIN = Duration.ofSeconds(5);
    /**
     * A graceful move's handovers are in the topic before the task starts at its next owner, which reads them
     * after whatever the intake wrote to the task's partition meanwhile (at about the rate the intake writes, a
     * few seconds' worth): half a minute covers a large burst. After a crash no handover comes, and the marked
     * emails (and those due after them) wait this long before they are sent again.
     */
    public static final Duration HOLD_BACK = Duration.ofSeconds(30);

    /** Nothing handed over, nothing waited for: an email in flight at a move is sent again by the next owner. */
    public static HandoverSettings none() {
        return new HandoverSettings(HandoverPublisher.NONE, Duration.ZERO, Duration.ZERO);
    }

    /** @param sendDeadline the longest one send may take before the watchdog cuts it */
    public static HandoverSettings of(HandoverPublisher publisher, Duration sendDeadline) {
        return new HandoverSettings(publisher, sendDeadline.plus(SETTLE_MARGIN), HOLD_BACK);
    }
}
