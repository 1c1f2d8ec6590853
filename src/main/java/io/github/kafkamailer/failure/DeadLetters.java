package io.github.kafkamailer.failure;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
     * undelivered whole when a server took the email for the others (null when it went to nobody). They are
     * the ones the retry record already carried in {@link RetryHeaders#RECIPIENTS}: the dead letter is no
     * bigger than that record was.
     */
    public static Headers headers(Headers original, DeadLetterKind kind, String reason, int attempts,
                                  Instant firstFailure, String source, java.util.List<String> undeliveredRecipients) {
        RecordHeaders h = new RecordHeaders(original == null ? new RecordHeaders().toArray() : original.toArray());
        for (String name : new String[] {DeadLetterHeaders.KIND, DeadLetterHeaders.MESSAGE,
                DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.FIRST_FAILURE, DeadLetterHeaders.SOURCE,
                DeadLetterHeaders.UNDELIVERED_RECIPIENTS}) {
            h.remove(name);
        }
        add(h, DeadLetterHeaders.KIND, kind.name());
        add(h, DeadLetterHeaders.MESSAGE, shorten(reason));
        add(h, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        if (firstFailure != null) {
            add(h, DeadLetterHeaders.FIRST_FAILURE, firstFailure.toString());
        }
        add(h, DeadLetterHeaders.SOURCE, source);
        if (undeliveredRecipients != null) {
            add(h, DeadLetterHeaders.UNDELIVERED_RECIPIENTS, String.join("\n", undeliveredRecipients));
        }
        return h;
    }

    /** The headers of a record on the retry topic: its history travels with it to whichever task reads it. */
    public static Headers retryHeaders(int attempts, Instant firstFailure, Instant nextAttempt, Instant acceptedAt,
                                       String source, String lastError, java.util.List<String> onlyRecipients) {
        Headers h = new RecordHeaders();
        add(h, RetryHeaders.ATTEMPTS, Integer.toString(attempts));
        add(h, RetryHeaders.FIRST_FAILURE, firstFailure.toString());
        add(h, RetryHeaders.NEXT_ATTEMPT, nextAttempt.toString());
        add(h, RetryHeaders.ACCEPTED_AT, acceptedAt.toString());
        add(h, RetryHeaders.SOURCE, source);
        add(h, RetryHeaders.LAST_ERROR, shorten(lastError));
        if (onlyRecipients != null) {
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
