package io.github.kafkamailer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A dead letter as an operator sees it: the headers the mailer wrote (CONTRACT.md, "Dead letters"), the id
 * (the record's key) and the tenant read from the email itself ({@code unknown} when the value can't be read).
 *
 * @param firstFailure   null when there was none (an invalid event)
 * @param source         {@code topic/partition/offset} of the record it came from
 * @param partition      where it sits on the dead-letter topic
 * @param value          the original value, unchanged (may be unparsable, or null)
 * @param laterSent      the status topic has a SENT or DRAFTED for this id after it was dead-lettered
 * @param deadLetteredAt the record's timestamp on the dead-letter topic
 * @param undelivered    the recipients still undelivered when a server had taken the email for the others
 *                       ({@link DeadLetterHeaders#UNDELIVERED_RECIPIENTS}); empty otherwise
 * @param valueBytes     the original value's size, -1 when it was null: {@code value} may hold its first bytes only
 *                       (see {@link #withValueCut}); a replay reads the whole value again from the topic
 */
public record DeadLetter(String id, String tenant, String kind, String reason, int attempts, Instant firstFailure,
                         String source, int partition, long offset, byte[] value, boolean laterSent,
                         Instant deadLetteredAt, List<String> undelivered, int valueBytes) {
    public DeadLetter {
        undelivered = undelivered == null ? List.of() : List.copyOf(undelivered);
    }


    /** A letter holding its whole value. */
    public DeadLetter(String id, String tenant, String kind, String reason, int attempts, Instant firstFailure,
                      String source, int partition, long offset, byte[] value, boolean laterSent,
                      Instant deadLetteredAt, List<String> undelivered) {
        this(id, tenant, kind, reason, attempts, firstFailure, source, partition, offset, value, laterSent,
                deadLetteredAt, undelivered, value == null ? -1 : value.length);
    }

    /** A letter holding its whole value, of an email nobody received. */
    public DeadLetter(String id, String tenant, String kind, String reason, int attempts, Instant firstFailure,
                      String source, int partition, long offset, byte[] value, boolean laterSent,
                      Instant deadLetteredAt) {
        this(id, tenant, kind, reason, attempts, firstFailure, source, partition, offset, value, laterSent,
                deadLetteredAt, List.of());
    }

    /** The key or the value was missing: there is no email to send again. */
    public boolean replayable() {
        return !id.isEmpty() && valueBytes >= 0;
    }

    /** {@code value} holds only the first bytes of the original. */
    public boolean valueCut() {
        return value != null && value.length < valueBytes;
    }

    /**
     * This letter holding at most the first {@code maxBytes} of its value (cut at a UTF-8 character boundary), so
     * that a listing of many letters stays small whatever producers wrote.
     */
    public DeadLetter withValueCut(int maxBytes) {
        if (value == null || value.length <= maxBytes) {
            return this;
        }
        int end = Math.max(0, maxBytes);
        while (end > 0 && (value[end] & 0xC0) == 0x80) {
            end--;
        }
        return new DeadLetter(id, tenant, kind, reason, attempts, firstFailure, source, partition, offset,
                java.util.Arrays.copyOf(value, end), laterSent, deadLetteredAt, undelivered, valueBytes);
    }

    DeadLetter withLaterSent(boolean sent) {
        return new DeadLetter(id, tenant, kind, reason, attempts, firstFailure, source, partition, offset, value,
                sent, deadLetteredAt, undelivered, valueBytes);
    }

    /** A record of the dead-letter topic as a letter (the console counts them as they arrive). */
    public static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
        String id = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        int attempts;
        try {
            String a = header(r, DeadLetterHeaders.ATTEMPTS);
            attempts = a == null ? 0 : Integer.parseInt(a.trim());
        } catch (NumberFormatException e) {
            attempts = 0;
        }
        Instant first;
        try {
            String f = header(r, DeadLetterHeaders.FIRST_FAILURE);
            first = f == null ? null : Instant.parse(f.trim());
        } catch (DateTimeParseException e) {
            first = null;
        }
        return new DeadLetter(id, tenantOf(r.value()), orDash(header(r, DeadLetterHeaders.KIND)),
                orDash(header(r, DeadLetterHeaders.MESSAGE)), attempts, first, orDash(header(r, DeadLetterHeaders.SOURCE)),
                r.partition(), r.offset(), r.value(), false, Instant.ofEpochMilli(r.timestamp()), undeliveredOf(r));
    }

    private static List<String> undeliveredOf(ConsumerRecord<byte[], byte[]> r) {
        String list = header(r, DeadLetterHeaders.UNDELIVERED_RECIPIENTS);
        return list == null || list.isEmpty() ? List.of() : List.of(list.split("\n"));
    }

    private static String tenantOf(byte[] value) {
        if (value == null) {
            return "unknown";
        }
        try {
            JsonNode node = Json.tolerantReader().readTree(value);
            if (node == null || !node.isObject()) {
                return "unknown";
            }
            JsonNode t = node.get("tenant");
            if (t == null || t.isNull() || (t.isTextual() && t.asText().isEmpty())) {
                return "default";
            }
            return t.isTextual() ? t.asText() : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
