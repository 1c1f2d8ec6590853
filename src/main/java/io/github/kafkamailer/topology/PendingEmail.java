package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.Priority;
import java.time.Instant;
import java.util.List;

/**
 * An accepted email waiting in the pending store. It keeps the producer's bytes as they came, so a dead letter
 * can carry them unchanged, and where they came from for the {@code mailer.source} header.
 *
 * @param tenant        the tenant it was accepted for (the store's key prefix)
 * @param emailId       the event's id, the idempotency key
 * @param value         the outbox record's value, byte for byte
 * @param source        {@code topic/partition/offset} of that record
 * @param acceptedAt    the outbox record's timestamp: the order of sending, and {@code createdAt} when absent
 * @param attempts      sending attempts made so far
 * @param firstFailure  when the first attempt failed; null while none has
 * @param dueAt         not to be sent before this instant
 * @param onlyRecipients null for every recipient of the event; else the only ones still to send to (a server
 *                       deferred them with a 4xx while it took the others)
 * @param priority      the event's priority (null: NORMAL): a HIGH email is keyed and read ahead of the others
 * @param suppressed    recipients an earlier attempt left out because they were suppressed (a retry of those a
 *                      server deferred): the final {@code SENT} still names them; empty when none
 */
public record PendingEmail(String tenant, String emailId, byte[] value, String source, Instant acceptedAt,
                           int attempts, Instant firstFailure, Instant dueAt, List<String> onlyRecipients,
                           Priority priority, List<String> suppressed)
        implements Routed {

    public PendingEmail {
        onlyRecipients = onlyRecipients == null ? null : List.copyOf(onlyRecipients);
        priority = priority == null ? Priority.NORMAL : priority;
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
    }

    /** An email no earlier attempt left anyone out of. */
    public PendingEmail(String tenant, String emailId, byte[] value, String source, Instant acceptedAt,
                        int attempts, Instant firstFailure, Instant dueAt, List<String> onlyRecipients,
                        Priority priority) {
        this(tenant, emailId, value, source, acceptedAt, attempts, firstFailure, dueAt, onlyRecipients, priority,
                List.of());
    }

    /** A {@link Priority#NORMAL} email. */
    public PendingEmail(String tenant, String emailId, byte[] value, String source, Instant acceptedAt,
                        int attempts, Instant firstFailure, Instant dueAt, List<String> onlyRecipients) {
        this(tenant, emailId, value, source, acceptedAt, attempts, firstFailure, dueAt, onlyRecipients,
                Priority.NORMAL);
    }

    public PendingEmail(String tenant, String emailId, byte[] value, String source, Instant acceptedAt,
                        int attempts, Instant firstFailure, Instant dueAt) {
        this(tenant, emailId, value, source, acceptedAt, attempts, firstFailure, dueAt, null);
    }

    public PendingEmail withAttempt(Instant failedAt, Instant nextDueAt) {
        return new PendingEmail(tenant, emailId, value, source, acceptedAt, attempts + 1,
                firstFailure == null ? failedAt : firstFailure, nextDueAt, onlyRecipients, priority, suppressed);
    }

    /** The same email, still to be sent to {@code recipients} only. */
    public PendingEmail withOnlyRecipients(List<String> recipients) {
        return new PendingEmail(tenant, emailId, value, source, acceptedAt, attempts, firstFailure, dueAt,
                recipients, priority, suppressed);
    }

    /** The same email with {@code p} (null: NORMAL). */
    public PendingEmail withPriority(Priority p) {
        return new PendingEmail(tenant, emailId, value, source, acceptedAt, attempts, firstFailure, dueAt,
                onlyRecipients, p, suppressed);
    }

    /** The same email, naming {@code addresses} as left out by an earlier attempt. */
    public PendingEmail withSuppressed(List<String> addresses) {
        return new PendingEmail(tenant, emailId, value, source, acceptedAt, attempts, firstFailure, dueAt,
                onlyRecipients, priority, addresses);
    }

    /** True for a {@link Priority#HIGH} email. */
    public boolean isHigh() {
        return priority == Priority.HIGH;
    }

    /** Its key in the pending store: a HIGH email's sorts before the tenant's normal ones ({@link PendingKeys}). */
    String storeKey() {
        return PendingKeys.of(tenant, dueAt, emailId, priority);
    }
}
