package io.github.kafkamailer.failure;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes the headers of the failure topics in one place: a dead letter's (CONTRACT.md, "Dead letters"), added
 * to those the original record carried, and a retry record's bookkeeping ({@link RetryHeaders}).
 */
public final class DeadLetters {
    /** Long reasons are cut: a header or a status is for a person to read, not a whole server transcript. */
    private static final int MAX_REASON = 2000;

    private DeadLetters() {
    }

    /** The original headers, less any earlier dead-letter headers, plus this failure's. */
    public static Headers headers(Headers original, DeadLetterKind kind, String reason, int attempts,
                                  Instant firstFailure, String source) {
        return headers(original, kind, reason, attempts, firstFailure, source, null);
    }

    /**
     * As {@link #headers(Headers, DeadLetterKind, String, int, Instant, String)}, naming the recipients still
     * undelivered whole when a server took the email for the others (null when it went to nobody).
     */
    public static Headers headers(Headers original, DeadLetterKind kind, String reason, int attempts,
                                  Instant firstFailure, String source, java.util.List<String> undeliveredRecipients) {
        return headers(original, kind, reason, attempts, firstFailure, source, undeliveredRecipients, 0, null);
    }

    /**
     * As above, for a list too long for the record: {@code listed} are the first of the undelivered recipients,
     * {@code more} how many follow them unlisted, and {@code positions} (see {@link RetryHeaders#RECIPIENT_POSITIONS})
     * names them all; null when the list is whole.
     */
    public static Headers headers(Headers original, DeadLetterKind kind, String reason, int attempts,
                                  Instant firstFailure, String source, java.util.List<String> listed, int more,
                                  byte[] positions) {
        RecordHeaders h = new RecordHeaders(original == null ? new RecordHeaders().toArray() : original.toArray());
        for (String name : new String[] {DeadLetterHeaders.KIND, DeadLetterHeaders.MESSAGE,
                DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.FIRST_FAILURE, DeadLetterHeaders.SOURCE,
                DeadLetterHeaders.UNDELIVERED_RECIPIENTS, DeadLetterHeaders.UNDELIVERED_POSITIONS}) {
            h.remove(name);
        }
        add(h, DeadLetterHeaders.KIND, kind.name());
        add(h, DeadLetterHeaders.MESSAGE, shorten(reason));
        add(h, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        if (firstFailure != null) {
            add(h, DeadLetterHeaders.FIRST_FAILURE, firstFailure.toString());
        }
        add(h, DeadLetterHeaders.SOURCE, source);
        if (listed != null) {
            String list = String.join("\n", listed);
            if (more > 0) {
                list += (list.isEmpty() ? "" : "\n") + moreLine(more, positions != null);
            }
            add(h, DeadLetterHeaders.UNDELIVERED_RECIPIENTS, list);
        }
        if (positions != null) {
            h.add(DeadLetterHeaders.UNDELIVERED_POSITIONS, Base64.getEncoder().encode(positions));
        }
        return h;
    }

    /** The last line of a cut list of undelivered recipients. */
    public static String moreLine(int more, boolean positionsGiven) {
        return "(and " + more + " more, past the record limit" + (positionsGiven
                ? ": " + DeadLetterHeaders.UNDELIVERED_POSITIONS + " names them all)" : ")");
    }

    /** The headers of a record on the retry topic: its history travels with it to whichever task reads it. */
    public static Headers retryHeaders(int attempts, Instant firstFailure, Instant nextAttempt, Instant acceptedAt,
                                       String source, String lastError, java.util.List<String> onlyRecipients) {
        return retryHeaders(attempts, firstFailure, nextAttempt, acceptedAt, source, lastError, onlyRecipients, null);
    }

    /**
     * As above; with {@code recipientPositions} (not null), the recipients still to send to are given by it
     * ({@link RetryHeaders#RECIPIENT_POSITIONS}) instead of listed.
     */
    public static Headers retryHeaders(int attempts, Instant firstFailure, Instant nextAttempt, Instant acceptedAt,
                                       String source, String lastError, java.util.List<String> onlyRecipients,
                                       byte[] recipientPositions) {
        Headers h = new RecordHeaders();
        add(h, RetryHeaders.ATTEMPTS, Integer.toString(attempts));
        add(h, RetryHeaders.FIRST_FAILURE, firstFailure.toString());
        add(h, RetryHeaders.NEXT_ATTEMPT, nextAttempt.toString());
        add(h, RetryHeaders.ACCEPTED_AT, acceptedAt.toString());
        add(h, RetryHeaders.SOURCE, source);
        add(h, RetryHeaders.LAST_ERROR, shorten(lastError));
        if (recipientPositions != null) {
            h.add(RetryHeaders.RECIPIENT_POSITIONS, Base64.getEncoder().encode(recipientPositions));
        } else if (onlyRecipients != null) {
            add(h, RetryHeaders.RECIPIENTS, String.join("\n", onlyRecipients));
        }
        return h;
    }

    /** Long reasons are cut: a header or a status is for a person to read, not a server transcript. */
    public static String shorten(String reason) {
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason;
    }

    private static void add(Headers h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
