package io.github.kafkamailer.sending;

import io.github.kafkamailer.model.Priority;
import java.time.Instant;
import java.util.List;

/**
 * One pending email handed to a tenant's senders: what they need to send it, and how to find it again in the
 * store when its outcome comes back. The event stays as the producer's bytes until a sender thread parses it,
 * so the stream thread never parses an email to send it.
 *
 * @param storeKey       the pending store's key, to delete or keep the email when its outcome is recorded
 * @param emailId        the event's id (with the tenant, the idempotency key)
 * @param event          the outbox record's value, byte for byte
 * @param acceptedAt     when the record reached the outbox: {@code createdAt} when the event has none
 * @param onlyRecipients when not null, send to these envelope recipients only (a retry of those a server deferred,
 *                       or those not suppressed)
 * @param suppressed     the recipients left out because they are suppressed, for the {@code SENT} status; empty
 *                       when none
 * @param priority       the event's priority (null: NORMAL): the run's lanes take HIGH jobs first
 */
public record SendJob(String storeKey, String emailId, byte[] event, Instant acceptedAt, List<String> onlyRecipients,
                      List<String> suppressed, Priority priority) {
    public SendJob {
        onlyRecipients = onlyRecipients == null ? null : List.copyOf(onlyRecipients);
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
        priority = priority == null ? Priority.NORMAL : priority;
    }

    /** A NORMAL job. */
    public SendJob(String storeKey, String emailId, byte[] event, Instant acceptedAt, List<String> onlyRecipients,
                   List<String> suppressed) {
        this(storeKey, emailId, event, acceptedAt, onlyRecipients, suppressed, Priority.NORMAL);
    }

    /** This job with {@code p} as its priority. */
    public SendJob withPriority(Priority p) {
        return new SendJob(storeKey, emailId, event, acceptedAt, onlyRecipients, suppressed, p);
    }

    public boolean isHigh() {
        return priority == Priority.HIGH;
    }

    /** A job with nobody suppressed. */
    public SendJob(String storeKey, String emailId, byte[] event, Instant acceptedAt, List<String> onlyRecipients) {
        this(storeKey, emailId, event, acceptedAt, onlyRecipients, List.of());
    }

    /** Bookkeeping around an event's bytes, counted so that many tiny emails still weigh something. */
    public static final long OVERHEAD_BYTES = 256;

    /** What the job holds on the heap while in flight, for the byte bounds. */
    public long bytes() {
        return event.length + OVERHEAD_BYTES;
    }
}
