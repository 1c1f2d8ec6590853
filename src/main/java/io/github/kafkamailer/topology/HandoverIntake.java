package io.github.kafkamailer.topology;

import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SendResult;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of a handover ({@link Handover}): matches it with the marker its sender wrote and clears that
 * marker, so the email is no longer held back. A handover no marker of its sender waits for (a late one, after the
 * email was sent again here; one read a second time) or one that can't be read is ignored.
 */
final class HandoverIntake {
    private static final Logger LOG = LoggerFactory.getLogger(HandoverIntake.class);

    /** An outcome to record for a pending email, as if this task's senders had returned it. */
    record Settled(PendingEmail email, SendResult result, Handover handover) {
    }

    private final InFlightMarkers markers;
    private final PendingStore pending;

    HandoverIntake(InFlightMarkers markers, PendingStore pending) {
        this.markers = markers;
        this.pending = pending;
    }

    /** True when a record of the sending task's topic is a handover, not an email for the store. */
    static boolean isHandover(Headers headers) {
        return headers.lastHeader(Handover.HEADER) != null;
    }

    /**
     * Clears the marker the handover answers; returns the outcome to record, or null when there is none (not sent
     * there: the email goes with this task's run, which waited for this; or nothing waited for the handover).
     */
    Settled accept(Headers headers) {
        Handover h;
        try {
            h = Handover.carriedBy(headers);
        } catch (IllegalArgumentException e) {
            LOG.warn("A handover from this task's previous owner can't be read, ignored: {}", e.getMessage());
            return null;
        }
        InFlightMarkers.Marker marker = markers.get(h.pendingKey());
        if (marker == null || !marker.by().equals(h.by())) {
            LOG.debug("Handover for {} ignored: no email waits for it", h.pendingKey());
            return null;
        }
        markers.clear(h.pendingKey());
        PendingEmail p = pending.get(h.pendingKey());
        if (p == null || h.outcome() == null) {
            return null;
        }
        SendJob job = new SendJob(h.pendingKey(), p.emailId(), p.value(), p.acceptedAt(), p.onlyRecipients(),
                h.suppressed());
        return new Settled(p, new SendResult(job, null, h.outcome()), h);
    }
}
