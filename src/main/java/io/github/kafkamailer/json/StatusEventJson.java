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
        return Json.write(m, false);
    }

    /** For readers of the status topic (tests, the CLI); trusts the mailer's own output. */
    public static StatusEvent parse(byte[] bytes) {
        Map<String, Object> m = Json.object(bytes);
        Object transport = m.get("transport");
        return new StatusEvent((String) m.get("id"), (String) m.get("tenant"),
                Status.valueOf((String) m.get("status")), ((Number) m.get("attempts")).intValue(),
                Instant.parse((String) m.get("at")),
                transport == null ? null : TransportKind.valueOf((String) transport), (String) m.get("error"));
    }
}
