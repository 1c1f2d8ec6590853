package io.github.kafkamailer.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readers and writers that every package shares instead of a mapper of its own. */
class JsonTest {
    @Test
    void shouldWriteInstantsAsIsoText() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Instant.parse("2026-01-02T03:04:05Z"));
        record Row(String id, Instant at) {
        }
        assertThat(Json.writer().writeValueAsString(m)).isEqualTo("{\"at\":\"2026-01-02T03:04:05Z\"}");
        assertThat(Json.writer().writeValueAsString(new Row("a", Instant.parse("2026-01-02T03:04:05Z"))))
                .isEqualTo("{\"id\":\"a\",\"at\":\"2026-01-02T03:04:05Z\"}");
    }

    @Test
    void shouldIndentWithThePrettyWriter() throws Exception {
        assertThat(Json.prettyWriter().writeValueAsString(Map.of("a", 1))).isEqualTo("{\n  \"a\" : 1\n}");
    }

    @Test
    void shouldReadToleratingDuplicatesAndTrailingContentWhenOnlyLookingIn() throws Exception {
        byte[] bytes = "{\"tenant\":\"a\",\"tenant\":\"b\"} trailing".getBytes(StandardCharsets.UTF_8);
        assertThat(Json.tolerantReader().readTree(bytes).get("tenant").asText()).isEqualTo("b");
    }

    @Test
    void shouldStayStrictForRecordsTheMailerAccepts() {
        byte[] bytes = "{\"tenant\":\"a\",\"tenant\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.object(bytes))
                .hasMessageContaining("duplicate field 'tenant'");
    }
}
