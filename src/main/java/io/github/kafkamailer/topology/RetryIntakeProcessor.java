package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.RetryHeaders;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
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
            String recipients = optional(h, RetryHeaders.RECIPIENTS);
            PendingEmail p = new PendingEmail(email.tenant(), email.id(), record.value(),
                    source != null ? source : here,
                    accepted != null ? Instant.parse(accepted) : Instant.ofEpochMilli(Math.max(0, record.timestamp())),
                    attempts, first, next,
                    recipients == null ? null : java.util.List.of(recipients.split("\n")));
            context.forward(record.withValue(p));
        } catch (InvalidRecordException | NumberFormatException | DateTimeParseException e) {
            rejectAsInvalid(record, here, "unreadable retry record: " + e.getMessage());
        }
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
