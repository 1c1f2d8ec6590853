package io.github.kafkamailer.json;

import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Status events to and from the JSON of the status topic. */
public final class StatusEventJson {
    private StatusEventJson() {
    }

    public static byte[] write(StatusEvent s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("tenant", s.tenant());
        m.put("status", s.status().name());
        m.put("attempts", s.attempts());
        m.put("at", s.at().toString());
        m.put("transport", s.transport() == null ? null : s.transport().name());
        m.put("error", s.error());
        // The optional fields appear only when they say something, so older readers see what they always saw.
        putIfPresent(m, "server", s.server());
        putIfPresent(m, "template", s.template());
        if (!s.suppressed().isEmpty()) {
            m.put("suppressed", s.suppressed());
        }
        putIfPresent(m, "recipient", s.recipient());
        return Json.write(m, false);
    }

    private static void putIfPresent(Map<String, Object> m, String field, String value) {
        if (value != null) {
            m.put(field, value);
        }
    }

    /**
     * One status event (a JSON object) or several (an array of them), as {@code GET /api/status} answers.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static java.util.List<StatusEvent> parseOneOrMany(byte[] bytes) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = Json.MAPPER.readTree(bytes);
            java.util.List<StatusEvent> out = new java.util.ArrayList<>();
            if (root != null && root.isArray()) {
                for (com.fasterxml.jackson.databind.JsonNode n : root) {
                    out.add(parse(Json.MAPPER.writeValueAsBytes(n)));
                }
            } else {
                out.add(parse(bytes));
            }
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a status event or a list of them: " + e.getMessage(), e);
        }
    }

    /** For readers of the status topic (tests, the CLI); trusts the mailer's own output. */
    public static StatusEvent parse(byte[] bytes) {
        Map<String, Object> m = Json.object(bytes);
        Object transport = m.get("transport");
        return new StatusEvent((String) m.get("id"), (String) m.get("tenant"),
                Status.valueOf((String) m.get("status")), ((Number) m.get("attempts")).intValue(),
                Instant.parse((String) m.get("at")),
                transport == null ? null : TransportKind.valueOf((String) transport), (String) m.get("error"),
                (String) m.get("server"), (String) m.get("template"), stringsOf(m.get("suppressed")),
                (String) m.get("recipient"));
    }

    private static java.util.List<String> stringsOf(Object list) {
        if (!(list instanceof java.util.List<?> l)) {
            return java.util.List.of();
        }
        return l.stream().map(String::valueOf).toList();
    }
}
