package io.github.kafkamailer.json;

import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.EmailRules;
import io.github.kafkamailer.model.Priority;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Email events to and from the JSON of the outbox topic. */
public final class EmailEventJson {
    private EmailEventJson() {
    }

    /** Parses and validates; throws {@link io.github.kafkamailer.model.InvalidRecordException} with the reasons. */
    public static EmailEvent parse(byte[] bytes) {
        return EmailRules.parse(Json.object(bytes));
    }

    /**
     * The recipients as the event writes them, {@code to}, then {@code cc}, then {@code bcc}, without validating the
     * rest: what a pending email's recipient bits count over, read the same by a later mailer with stricter rules.
     * An item that is not a string keeps its place as an empty string.
     */
    public static List<String> recipients(byte[] bytes) {
        Map<String, Object> m = Json.object(bytes);
        List<String> all = new java.util.ArrayList<>();
        for (String field : new String[] {"to", "cc", "bcc"}) {
            if (m.get(field) instanceof List<?> list) {
                for (Object item : list) {
                    all.add(item instanceof String s ? s : "");
                }
            }
        }
        return all;
    }

    public static byte[] write(EmailEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("tenant", e.tenant());
        putIfPresent(m, "from", e.from());
        m.put("to", e.to());
        putIfNotEmpty(m, "cc", e.cc());
        putIfNotEmpty(m, "bcc", e.bcc());
        putIfNotEmpty(m, "replyTo", e.replyTo());
        if (e.needsRendering()) {
            m.put("template", e.template());
            if (!e.data().isEmpty()) {
                m.put("data", e.data());
            }
        } else {
            m.put("subject", e.subject());
            putIfPresent(m, "text", e.text());
            putIfPresent(m, "html", e.html());
        }
        if (!e.attachments().isEmpty()) {
            m.put("attachments", e.attachments().stream().map(EmailEventJson::attachment).toList());
        }
        if (!e.headers().isEmpty()) {
            m.put("headers", e.headers());
        }
        m.put("mode", e.mode().name());
        if (e.createdAt() != null) {
            m.put("createdAt", e.createdAt().toString());
        }
        if (e.unsubscribe() != null) {
            m.put("unsubscribe", e.unsubscribe().isMailersOwn() ? Boolean.TRUE : Map.of("url", e.unsubscribe().url()));
        }
        if (e.priority() != Priority.NORMAL) {
            m.put("priority", e.priority().name());
        }
        return Json.write(m, false);
    }

    private static Map<String, Object> attachment(Attachment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filename", a.filename());
        m.put("contentType", a.contentType());
        m.put("contentBase64", a.contentBase64());
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static void putIfNotEmpty(Map<String, Object> m, String k, List<?> v) {
        if (!v.isEmpty()) {
            m.put(k, v);
        }
    }
}
