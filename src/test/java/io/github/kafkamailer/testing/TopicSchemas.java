package io.github.kafkamailer.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The JSON Schemas of {@code topics/}, loaded once, and what a document breaks of them. */
public final class TopicSchemas {
    /** Strict JSON: a duplicate key or trailing tokens are errors, as they would be for the mailer. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    public static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<String, JsonSchema> LOADED = new ConcurrentHashMap<>();

    private TopicSchemas() {
    }

    /** The project's root: surefire and failsafe set basedir; an IDE usually runs tests from the root. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    /** {@code topics/NAME.schema.json}. */
    public static Path file(String name) {
        return projectRoot().resolve("topics").resolve(name + ".schema.json");
    }

    public static JsonSchema schema(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            try {
                return FACTORY.getSchema(JSON.readTree(file(n).toFile()), CONFIG);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file(n), e);
            }
        });
    }

    /** What {@code document} breaks of {@code topics/NAME.schema.json}, sorted; empty when it is valid. */
    public static List<String> problems(String name, JsonNode document) {
        return schema(name).validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
