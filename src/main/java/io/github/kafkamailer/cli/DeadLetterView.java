package io.github.kafkamailer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A dead letter as an operator sees it: the headers the mailer wrote, and the id and tenant read from the
 * record itself (the tenant is {@code unknown} when the value can't be read).
 */
record DeadLetterView(String id, String tenant, String kind, String reason, int attempts, String firstFailure,
                      String source, long offset, int partition, byte[] key, byte[] value) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static DeadLetterView of(ConsumerRecord<byte[], byte[]> r) {
        String id = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        String attempts = header(r, DeadLetterHeaders.ATTEMPTS);
        int n;
        try {
            n = attempts == null ? 0 : Integer.parseInt(attempts);
        } catch (NumberFormatException e) {
            n = 0;
        }
        return new DeadLetterView(id, tenantOf(r.value()), orDash(header(r, DeadLetterHeaders.KIND)),
                orDash(header(r, DeadLetterHeaders.MESSAGE)), n, header(r, DeadLetterHeaders.FIRST_FAILURE),
                orDash(header(r, DeadLetterHeaders.SOURCE)), r.offset(), r.partition(), r.key(), r.value());
    }

    private static String tenantOf(byte[] value) {
        if (value == null) {
            return "unknown";
        }
        try {
            JsonNode node = JSON.readTree(value);
            if (node == null || !node.isObject()) {
                return "unknown";
            }
            JsonNode t = node.get("tenant");
            return t == null || t.isNull() ? "default" : t.isTextual() ? t.asText() : "unknown";
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
