package io.github.kafkamailer.json;

import io.github.kafkamailer.model.EmailRules;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.model.TemplateNames;
import io.github.kafkamailer.model.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Template records to and from the JSON of the templates topic, with the record's own rules (key, name, fields).
 * Whether the Mustache sources compile is {@code template.TemplateCompiler}'s to say.
 */
public final class TemplateJson {
    private static final Set<String> FIELDS = Set.of("tenant", "name", "subject", "text", "html");

    private TemplateJson() {
    }

    public static byte[] write(Template t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", t.tenant());
        m.put("name", t.name());
        m.put("subject", t.subject());
        if (t.text() != null) {
            m.put("text", t.text());
        }
        if (t.html() != null) {
            m.put("html", t.html());
        }
        return Json.write(m, false);
    }

    /** As {@link #write}, indented for a person (the CLI's {@code template get}). */
    public static String writePretty(Template t) {
        return new String(Json.write(Json.object(write(t)), true), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A template record as read from the topic under {@code key} (null: not checked, as for a file the CLI reads).
     *
     * @throws InvalidRecordException naming every broken rule (unknown field, bad name, missing subject or bodies,
     *                                a key that is not {@code TENANT/NAME} of the value)
     */
    public static Template parse(String key, byte[] bytes) {
        Map<String, Object> m = Json.object(bytes);
        List<Violation> broken = new ArrayList<>();
        for (String field : m.keySet()) {
            if (!FIELDS.contains(field)) {
                broken.add(new Violation(field, "is not a field of a template record"));
            }
        }
        String tenant = text(m, "tenant", true, broken);
        if (tenant != null && tenant.length() > EmailRules.MAX_TENANT_LENGTH) {
            broken.add(new Violation("tenant", "is longer than " + EmailRules.MAX_TENANT_LENGTH + " characters"));
        }
        String name = text(m, "name", true, broken);
        if (name != null && !TemplateNames.isValid(name)) {
            broken.add(new Violation("name", TemplateNames.RULE));
        }
        String subject = text(m, "subject", true, broken);
        String text = text(m, "text", false, broken);
        String html = text(m, "html", false, broken);
        if (text == null && html == null && !m.containsKey("text") && !m.containsKey("html")) {
            broken.add(new Violation("text", "at least one of text and html is required"));
        }
        if (broken.isEmpty() && key != null && !key.equals(Template.keyOf(tenant, name))) {
            broken.add(new Violation("key", "must be TENANT/NAME of the value ('" + Template.keyOf(tenant, name)
                    + "')"));
        }
        if (!broken.isEmpty()) {
            throw new InvalidRecordException(broken);
        }
        return new Template(tenant, name, subject, text, html);
    }

    /** Sample or test data for a template (the CLI's {@code preview --data FILE}): a JSON object. */
    public static Map<String, Object> data(byte[] bytes) {
        return Json.object(bytes);
    }

    private static String text(Map<String, Object> m, String field, boolean required, List<Violation> broken) {
        Object v = m.get(field);
        if (v == null) {
            if (required) {
                broken.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (v instanceof String s && !s.isBlank()) {
            return s;
        }
        broken.add(new Violation(field, "must be a non-empty string"));
        return null;
    }
}
