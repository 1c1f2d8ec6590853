package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.TemplateAdmin;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.template.RenderedContent;
import io.github.kafkamailer.template.TemplateRenderException;
import io.github.kafkamailer.template.TemplateSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The templates page's endpoints: a tenant's templates; a preview the server renders from the editor's sources and
 * the sample data the admin typed (nothing published); save (checked first, as the mailer will check it); delete;
 * and "Send a test", which renders the editor's sources here and publishes the result to the outbox as a plain
 * email of the tenant, so a template can be tried before it is saved. Each change is audited with the tenant, the
 * name and, for a test, the id and recipient: never the sources or the data.
 *
 * <p>A refusal for a template or data that doesn't work answers 400 with {@code error}, and {@code part}
 * ({@code subject}, {@code text}, {@code html} or {@code data}) and {@code line} when they are known.
 */
final class TemplateEndpoints implements AdminConsole.Endpoints {
    /** The page lists at most this many of a tenant's templates. */
    static final int SHOWN = 500;
    private static final Pattern JSON_LINE = Pattern.compile(" at line (\\d+)");

    private final TemplateAdmin templates;
    private final AuditLog audit;
    private final PreviewFrames frames;

    TemplateEndpoints(TemplateAdmin templates, AuditLog audit, Clock clock) {
        this.templates = templates;
        this.audit = audit;
        this.frames = new PreviewFrames(clock);
    }

    @Override
    public void register(Routes routes) {
        routes.get("/api/templates", this::list);
        routes.post("/api/templates/preview", this::preview);
        routes.get("/api/templates/frame", this::frame);
        routes.post("/api/templates/save", this::save);
        routes.post("/api/templates/delete", this::delete);
        routes.post("/api/templates/test", this::sendTest);
    }

    private void list(Call call) throws IOException {
        String tenant = call.requiredQuery("tenant");
        List<Template> found = templates.list(tenant);
        List<Map<String, Object>> rows = new ArrayList<>();
        found.stream().limit(SHOWN).forEach(t -> rows.add(row(t)));
        call.json(200, Map.of("templates", rows, "truncated", found.size() > SHOWN));
    }

    private void preview(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        RenderedContent r = rendered(call, body);
        if (r == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", r.subject());
        m.put("text", r.text());
        m.put("html", r.html());
        if (r.html() != null) {
            m.put("frame", "api/templates/frame?id=" + frames.keep(call.session().id(), r.html()));
        }
        call.json(200, m);
    }

    /** A preview's HTML, for the frame that shows it: sandboxed, with a policy of its own. */
    private void frame(Call call) throws IOException {
        String html = frames.find(call.session().id(), call.requiredQuery("id"))
                .orElseThrow(() -> new Call.Refused(404, "this preview has expired: preview again"));
        call.sendSandboxedHtml(html.getBytes(StandardCharsets.UTF_8));
    }

    private void save(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        Template t = template(call, body);
        if (t == null) {
            return;
        }
        long offset;
        try {
            offset = templates.publish(t).offset();
        } catch (InvalidRecordException | TemplateSyntaxException e) {
            refuse(call, e);
            return;
        }
        audit.record(call.who(), "template.save", "tenant", t.tenant(), "name", t.name(), "parts", parts(t));
        call.json(200, Map.of("key", t.key(), "offset", offset));
    }

    private void delete(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        String tenant = text(body, "tenant");
        String name = text(body, "name");
        String key;
        try {
            key = templates.delete(tenant, name);
        } catch (InvalidRecordException e) {
            throw new Call.Refused(400, e.getMessage());
        }
        audit.record(call.who(), "template.delete", "tenant", tenant, "name", name);
        call.json(200, Map.of("deleted", key));
    }

    private void sendTest(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        String to = text(body, "to");
        if (to == null) {
            throw new Call.Refused(400, "to: give the address to send the test to");
        }
        Template t = template(call, body);
        if (t == null) {
            return;
        }
        RenderedContent r = rendered(call, body);
        if (r == null) {
            return;
        }
        String id;
        try {
            id = templates.sendTest(t.tenant(), to, r);
        } catch (InvalidRecordException e) {
            throw new Call.Refused(400, e.getMessage());
        }
        audit.record(call.who(), "template.test", "tenant", t.tenant(), "name", t.name(), "id", id, "to", to);
        call.json(200, Map.of("id", id));
    }

    /** The editor's template, or null once the refusal is sent. */
    private static Template template(Call call, Map<String, Object> body) throws IOException {
        try {
            return TemplateAdmin.checked(new Template(text(body, "tenant"), text(body, "name"), raw(body, "subject"),
                    raw(body, "text"), raw(body, "html")));
        } catch (InvalidRecordException | TemplateSyntaxException e) {
            refuse(call, e);
            return null;
        }
    }

    /** The editor's template rendered with its sample data, or null once the refusal is sent. */
    private static RenderedContent rendered(Call call, Map<String, Object> body) throws IOException {
        Template t = template(call, body);
        if (t == null) {
            return null;
        }
        String sample = body.get("data") instanceof String s ? s : "";
        Map<String, Object> data;
        try {
            data = sample.isBlank() ? Map.of() : TemplateJson.data(sample.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRecordException e) {
            String reason = e.getMessage().replaceFirst("^value: ", "");
            Matcher m = JSON_LINE.matcher(reason);
            refusal(call, "the sample data " + reason, "data", m.find() ? Integer.valueOf(m.group(1)) : null);
            return null;
        }
        try {
            return TemplateAdmin.preview(t, data);
        } catch (TemplateRenderException e) {
            refusal(call, e.getMessage(), null, null);
            return null;
        }
    }

    private static void refuse(Call call, RuntimeException e) throws IOException {
        if (e instanceof TemplateSyntaxException s) {
            refusal(call, s.part() + ", line " + s.line() + ": " + TemplateAdmin.reason(s), s.part(), s.line());
        } else {
            refusal(call, e.getMessage(), null, null);
        }
    }

    private static void refusal(Call call, String message, String part, Integer line) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (part != null) {
            m.put("part", part);
        }
        if (line != null) {
            m.put("line", line);
        }
        call.json(400, m);
    }

    private static String parts(Template t) {
        return "subject" + (t.text() != null ? ",text" : "") + (t.html() != null ? ",html" : "");
    }

    private static String text(Map<String, Object> body, String field) {
        return body.get(field) instanceof String s && !s.isBlank() ? s.trim() : null;
    }

    /** A source as typed, whitespace and all; an empty one is absent. */
    private static String raw(Map<String, Object> body, String field) {
        return body.get(field) instanceof String s && !s.isBlank() ? s : null;
    }

    private static Map<String, Object> row(Template t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", t.tenant());
        m.put("name", t.name());
        m.put("subject", t.subject());
        m.put("text", t.text());
        m.put("html", t.html());
        return m;
    }
}
