package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.RetryHeaders;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Brings emails back from the retry topic into the pending store, with their attempts, first failure and next
 * attempt read from the headers. A record that is not the mailer's own (unreadable value or headers) goes to
 * the dead-letter topic rather than stopping the stream.
 */
final class RetryIntakeProcessor extends RawIntake {
    RetryIntakeProcessor(TopicNames topics, MailerMetrics metrics) {
        super(topics, metrics);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String here = source();
        Headers h = record.headers();
        try {
            EmailEvent email = EmailEventJson.parse(record.value());
            int attempts = Integer.parseInt(required(h, RetryHeaders.ATTEMPTS));
            Instant first = Instant.parse(required(h, RetryHeaders.FIRST_FAILURE));
            Instant next = Instant.parse(required(h, RetryHeaders.NEXT_ATTEMPT));
            String accepted = optional(h, RetryHeaders.ACCEPTED_AT);
            String source = optional(h, RetryHeaders.SOURCE);
            PendingEmail p = new PendingEmail(email.tenant(), email.id(), record.value(),
                    source != null ? source : here,
                    accepted != null ? Instant.parse(accepted) : Instant.ofEpochMilli(Math.max(0, record.timestamp())),
                    attempts, first, next, stillToSendTo(record.value(), h), email.priority())
                    .withSuppressed(suppressedBefore(h));
            // The headers stay here: what they say is in the pending email now, and carried twice (they and the
            // pending email's own list) the repartition record could pass the record limit.
            context.forward(record.withValue(p).withHeaders(new RecordHeaders()));
        } catch (InvalidRecordException | NumberFormatException | DateTimeParseException e) {
            rejectAsInvalid(record, here, "unreadable retry record: " + e.getMessage());
        }
    }

    /** The recipients still to send to, listed or as bits; null for all of the email's. */
    private static List<String> stillToSendTo(byte[] value, Headers h) {
        Header positions = h.lastHeader(RetryHeaders.RECIPIENT_POSITIONS);
        if (positions != null) {
            try {
                return RecipientPositions.read(value, Base64.getDecoder().decode(positions.value()));
            } catch (IllegalArgumentException e) {
                throw new InvalidRecordException(RetryHeaders.RECIPIENT_POSITIONS, "header is unreadable: "
                        + e.getMessage());
            }
        }
        String recipients = optional(h, RetryHeaders.RECIPIENTS);
        return recipients == null ? null : List.of(recipients.split("\n"));
    }

    /** The recipients an earlier attempt left out as suppressed; empty when none. */
    private static List<String> suppressedBefore(Headers h) {
        String suppressed = optional(h, RetryHeaders.SUPPRESSED);
        return suppressed == null || suppressed.isEmpty() ? List.of() : List.of(suppressed.split("\n"));
    }

    private static String required(Headers h, String name) {
        String v = optional(h, name);
        if (v == null) {
            throw new InvalidRecordException(name, "header is missing");
        }
        return v;
    }

    private static String optional(Headers h, String name) {
        Header header = h.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
