package io.github.kafkamailer.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.github.kafkamailer.model.InvalidRecordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The one configured Jackson mapper, and the step from bytes to a JSON object that every codec shares. Other
 * packages read and write JSON through the immutable readers and writers made from it ({@link #writer()},
 * {@link #prettyWriter()}, {@link #tolerantReader()}), never through a mapper of their own.
 */
public final class Json {
    /**
     * Strict: duplicate keys and trailing garbage are errors, not a silent last-one-wins. Instants are written as
     * ISO-8601 text.
     */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("instants-as-iso-text").addSerializer(Instant.class,
                    ToStringSerializer.instance))
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** The same without the duplicate check: to tell a duplicate field from other syntax errors, and to look in. */
    private static final ObjectMapper LENIENT = MAPPER.copy().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final ObjectWriter WRITER = MAPPER.writer();

    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    /* From LENIENT: the duplicate check belongs to the parser factory, which a reader's settings don't reach. */
    private static final ObjectReader TOLERANT = LENIENT.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Json() {
    }

    /** Writes maps, lists and records compactly; instants as ISO-8601 text. */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /** As {@link #writer()}, indented: for people to read. */
    public static ObjectWriter prettyWriter() {
        return PRETTY;
    }

    /**
     * Reads JSON that the mailer only looks into, as Jackson does by default: a duplicate key keeps its last
     * value, and what follows the first value is ignored. For a dead letter's event, a peer's or a browser's
     * answer, the topics file: never for a record the mailer accepts (those go through the codecs, strictly).
     */
    public static ObjectReader tolerantReader() {
        return TOLERANT;
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
            throw new InvalidRecordException("value", whyNotJson(bytes, e));
        } catch (IOException e) {
            throw new InvalidRecordException("value", "could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Why the bytes are not a JSON object, without repeating what they hold: Jackson's own messages quote the
     * offending token, which in a config record is often the secret itself (a password written without quotes),
     * and the reason ends up in a WARN line, a dead-letter header and on the CLI's stderr. Field names may be
     * named (the rules name unknown fields too); values never.
     */
    private static String whyNotJson(byte[] bytes, JsonProcessingException e) {
        String where = where(e.getLocation());
        if (!isUtf8(bytes)) {
            return "is not valid UTF-8 text";
        }
        String field = currentField(e);
        if (field != null && parsesWithDuplicates(bytes)) {
            return "has a duplicate field '" + field + "'" + where;
        }
        return "is not valid JSON" + where + (field == null ? "" : " (after field '" + field + "')")
                + "; the content is not repeated here";
    }

    private static String currentField(JsonProcessingException e) {
        try {
            return e.getProcessor() instanceof JsonParser p ? p.currentName() : null;
        } catch (IOException unreadable) {
            return null;
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** True when only the strict duplicate check made the bytes fail: they parse without it. */
    private static boolean parsesWithDuplicates(byte[] bytes) {
        try {
            LENIENT.readValue(bytes, OBJECT);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] write(Object value, boolean pretty) {
        try {
            return (pretty ? PRETTY : WRITER).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
