package io.github.kafkamailer.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.kafkamailer.model.InvalidRecordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The one configured Jackson mapper, and the step from bytes to a JSON object that every codec shares. */
final class Json {
    /** Strict: duplicate keys and trailing garbage are errors, not a silent last-one-wins. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Json() {
    }

    /** Decodes a JSON object; anything else (null, not UTF-8 JSON, an array) is an invalid record. */
    static Map<String, Object> object(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidRecordException("value", "is null (a tombstone is not an email)");
        }
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8).stripLeading();
        if (!start.startsWith("{")) {
            throw new InvalidRecordException("value", "is not a JSON object");
        }
        try {
            Map<String, Object> m = MAPPER.readValue(bytes, OBJECT);
            if (m == null) {
                throw new InvalidRecordException("value", "is not a JSON object");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("value", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("value", "could not be read: " + e.getMessage());
        }
    }

    static byte[] write(Object value, boolean pretty) {
        try {
            return (pretty ? PRETTY : MAPPER).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
