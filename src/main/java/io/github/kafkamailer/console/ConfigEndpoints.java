package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.ConfigConflictException;
import io.github.kafkamailer.admin.ConfigEdit;
import io.github.kafkamailer.admin.ConfigVersion;
import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.Violation;
import io.github.kafkamailer.probe.ConfigProbe;
import io.github.kafkamailer.probe.ProbeReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration page's endpoints: the tenants, one tenant's config in force (secrets as "set" or "not set"
 * only, and its version), Save (over that version only; validated with the mailer's rules, published to the config
 * topic, audited), the mailer's outcome of a saved record, and the Test button.
 */
final class ConfigEndpoints implements AdminConsole.Endpoints {
    /** What a tenant id may be on the console: the key of the config record, readable in a URL and a log line. */
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    private final ConfigAdmin configs;
    private final ConfigOutcomes outcomes;
    private final ConfigProbe probe;
    private final SecretReferences.Resolver secrets;
    private final AuditLog audit;

    ConfigEndpoints(ConfigAdmin configs, ConfigOutcomes outcomes, ConfigProbe probe,
                    SecretReferences.Resolver secrets, AuditLog audit) {
        this.configs = configs;
        this.outcomes = outcomes;
        this.probe = probe;
        this.secrets = secrets;
        this.audit = audit;
    }

    @Override
    public void register(Routes routes) {
        routes.get("/api/tenants", call -> call.json(200, Map.of("tenants", configs.tenants())));
        routes.get("/api/config", this::show);
        routes.post("/api/config", this::save);
        routes.get("/api/config/outcome", this::outcome);
        routes.post("/api/config/test", this::test);
    }

    private void show(Call call) throws IOException {
        String tenant = tenant(call.requiredQuery("tenant"));
        ConfigAdmin.Current current = configs.current(tenant);
        Optional<ConfigVersion> version = current.inForce();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Boolean> secretSet = new LinkedHashMap<>();
        for (ConfigField f : ConfigField.values()) {
            Object v = version.map(x -> x.config().value(f)).orElse(f.defaultValue());
            if (f.isSecret()) {
                // Only whether it is set: the value, or its reference, never leaves the server.
                secretSet.put(f.jsonName(), v != null);
            } else {
                values.put(f.jsonName(), v);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant);
        body.put("exists", version.isPresent());
        body.put("values", values);
        body.put("secrets", secretSet);
        // What the page posts back with Save: a save over any other version is refused (409).
        body.put("baseVersion", current.version());
        version.ifPresent(v -> body.put("version", Map.of("at", v.at(), "offset", v.offset(),
                "changedFields", v.changedFields())));
        // A later record the mailer rejected (published with the CLI, say): the page says which one stays.
        configs.rejectedAfterInForce(tenant).ifPresent(reason -> body.put("rejected", reason));
        call.json(200, body);
    }

    /**
     * Publishes the form over the version it was read at (its {@code baseVersion}), never over one it didn't show:
     * when another change came in since (another admin's Save, the CLI), a 409 says which, and nothing is
     * published.
     */
    private void save(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        String tenant = tenant(text(body.get("tenant")));
        long read = baseVersion(body);
        MailerConfig config;
        // Noted before publishing: the tenant's first outcome after it is the mailer's answer to this record.
        long sequence = outcomes.lastSequence();
        ConfigVersion version;
        try {
            ConfigAdmin.Current current = configs.current(tenant);
            current.requireVersion(read);
            config = edited(current.config(), body);
            // Checked again just before publishing (see ConfigAdmin.publish for the window that remains).
            version = configs.publish(tenant, config, read);
        } catch (InvalidRecordException e) {
            invalid(call, e);
            return;
        } catch (ConfigConflictException e) {
            audit.record(call.who(), "config.save.refused", "tenant", tenant, "read", read,
                    "current", e.currentVersion());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("error", e.getMessage() + ". Reload the page to see the configuration in force, then make your"
                    + " change again.");
            out.put("currentVersion", e.currentVersion());
            call.json(409, out);
            return;
        }
        audit.record(call.who(), "config.save", "tenant", tenant, "offset", version.offset(),
                "changed", String.join(",", version.changedFields()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", sequence);
        out.put("offset", version.offset());
        out.put("changedFields", version.changedFields());
        call.json(200, out);
    }

    /** The version the form was read at, as {@code GET /api/config} gave it. */
    private static long baseVersion(Map<String, Object> body) {
        if (body.get("baseVersion") instanceof Number n && n.longValue() == n.doubleValue()
                && n.longValue() >= ConfigAdmin.NO_VERSION) {
            return n.longValue();
        }
        throw new Call.Refused(400, "the form names no version it was read at ('baseVersion'): reload the page");
    }

    private void outcome(Call call) throws IOException {
        String tenant = tenant(call.requiredQuery("tenant"));
        long after;
        try {
            after = Long.parseLong(call.requiredQuery("after"));
        } catch (NumberFormatException e) {
            throw new Call.Refused(400, "'after' must be a number");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        outcomes.after(tenant, after).ifPresentOrElse(o -> {
            out.put("state", o.state().name());
            out.put("at", o.at());
            out.put("reason", o.reason());
        }, () -> out.put("state", "PENDING"));
        call.json(200, out);
    }

    /** Runs the form as filled in, saved or not; secret references resolved as the mailer would. */
    private void test(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        String tenant = tenant(text(body.get("tenant")));
        String sendTo = text(body.get("sendTo"));
        MailerConfig config;
        try {
            config = SecretReferences.resolve(edited(configs.inForce(tenant).map(ConfigVersion::config).orElse(null),
                    body), secrets);
        } catch (InvalidRecordException e) {
            invalid(call, e);
            return;
        }
        ProbeReport report = probe.run(config, sendTo.isEmpty() ? null : sendTo);
        audit.record(call.who(), "config.test", "tenant", tenant, "ok", report.ok(),
                "testEmailTo", sendTo.isEmpty() ? "-" : sendTo);
        call.json(200, Map.of("ok", report.ok(), "steps", report.steps()));
    }

    /**
     * The config in force ({@code base}, null if none) with the form's fields applied. A secret left empty is not
     * an edit: the one in force stays; only an explicit "remove" unsets it.
     */
    private MailerConfig edited(MailerConfig base, Map<String, Object> body) {
        Map<String, String> set = formValues(body.get("values"));
        Set<String> unset = new HashSet<>();
        if (body.get("unset") instanceof List<?> names) {
            names.forEach(n -> unset.add(String.valueOf(n)));
        }
        return ConfigEdit.apply(base, set, unset);
    }

    /**
     * The form's fields as text: trimmed, except secrets, kept exactly as typed (a password may begin or end with
     * a space); a secret left empty is left out.
     */
    static Map<String, String> formValues(Object values) {
        Map<String, String> set = new HashMap<>();
        if (values instanceof Map<?, ?> given) {
            given.forEach((k, v) -> {
                ConfigField f = ConfigField.byJsonName(String.valueOf(k));
                boolean secret = f != null && f.isSecret();
                String value = secret ? (v == null ? "" : String.valueOf(v)) : text(v);
                if (!(secret && value.isEmpty())) {
                    set.put(String.valueOf(k), value);
                }
            });
        }
        return set;
    }

    /** A 422 naming each bad field, for the page to show next to it. */
    private static void invalid(Call call, InvalidRecordException e) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        for (Violation v : e.violations()) {
            String reason = v.reason().startsWith(v.field() + " ") ? v.reason().substring(v.field().length() + 1)
                    : v.reason();
            fields.merge(v.field(), reason, (a, b) -> a + "; " + b);
            lines.add(v.toString());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", String.join("; ", lines));
        out.put("fields", fields);
        call.json(422, out);
    }

    static String tenant(String given) {
        if (given == null || !TENANT.matcher(given).matches()) {
            throw new Call.Refused(400, "a tenant id has 1 to 100 letters, digits, dots, dashes, underscores or @");
        }
        return given;
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v).strip();
    }
}
