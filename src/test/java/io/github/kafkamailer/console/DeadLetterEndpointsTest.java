package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.admin.DeadLetter;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterEndpointsTest {
    @Test
    void shouldShowAHugeDeadLetterTruncatedOnThePage() {
        String body = "{\"id\":\"big\",\"tenant\":\"acme\",\"text\":\"" + "é".repeat(450 * 1024) + "\"}";
        byte[] value = body.getBytes(StandardCharsets.UTF_8);
        assertThat(value.length).isGreaterThan(900 * 1024);
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("mail.dlq", 0, 7L, "big".getBytes(), value);
        r.headers().add(DeadLetterHeaders.KIND, "PERMANENT".getBytes());

        // As the page's listing keeps it, and as the row shows it.
        DeadLetter kept = DeadLetter.of(r).withValueCut(DeadLetterEndpoints.VALUE_BYTES);
        assertThat(kept.value()).hasSizeLessThanOrEqualTo(DeadLetterEndpoints.VALUE_BYTES);
        assertThat(kept.valueCut()).isTrue();
        assertThat(kept.replayable()).isTrue();
        Map<String, Object> row = DeadLetterEndpoints.row(kept);
        assertThat((String) row.get("value")).startsWith("{\"id\":\"big\"").doesNotContain("\uFFFD")
                .hasSizeLessThanOrEqualTo(DeadLetterEndpoints.VALUE_BYTES);
        assertThat(row).containsEntry("valueTruncated", true).containsEntry("valueBytes", value.length)
                .containsEntry("tenant", "acme");

        // A row from a letter holding its whole value is cut the same.
        assertThat(((String) DeadLetterEndpoints.row(DeadLetter.of(r)).get("value")).getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(DeadLetterEndpoints.VALUE_BYTES);
    }

    @Test
    void shouldShowASmallDeadLetterWhole() {
        byte[] value = "{\"id\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = DeadLetter.of(new ConsumerRecord<>("mail.dlq", 0, 1L, "s".getBytes(), value));
        assertThat(DeadLetterEndpoints.row(d.withValueCut(DeadLetterEndpoints.VALUE_BYTES)))
                .containsEntry("value", "{\"id\":\"s\"}").containsEntry("valueTruncated", false);
    }
}
