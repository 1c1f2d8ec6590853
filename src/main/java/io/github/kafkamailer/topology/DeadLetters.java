package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.model.DeadLetterKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The headers of a dead letter, added to those the original record carried. */
final class DeadLetters {
    /** Long reasons are cut: a header is for a person to read, not for a whole server transcript. */
    private static final int MAX_REASON = 2000;

    private DeadLetters() {
    }

    static Headers headers(Headers original, DeadLetterKind kind, String reason, int attempts,
                           Instant firstFailure, String source) {
        RecordHeaders h = new RecordHeaders(original == null ? new RecordHeaders().toArray() : original.toArray());
        for (String name : new String[] {DeadLetterHeaders.KIND, DeadLetterHeaders.MESSAGE,
                DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.FIRST_FAILURE, DeadLetterHeaders.SOURCE}) {
            h.remove(name);
        }
        add(h, DeadLetterHeaders.KIND, kind.name());
        add(h, DeadLetterHeaders.MESSAGE, shorten(reason));
        add(h, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        if (firstFailure != null) {
            add(h, DeadLetterHeaders.FIRST_FAILURE, firstFailure.toString());
        }
        add(h, DeadLetterHeaders.SOURCE, source);
        return h;
    }

    /** {@code topic/partition/offset} of the record being processed: the {@code mailer.source} header. */
    static String source(org.apache.kafka.streams.processor.api.ProcessorContext<?, ?> context) {
        return context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).orElse("unknown");
    }

    /** Long reasons are cut: a header or a status is for a person to read, not a server transcript. */
    static String shorten(String reason) {
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason;
    }

    private static void add(Headers h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
