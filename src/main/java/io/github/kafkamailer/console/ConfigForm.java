package io.github.kafkamailer.console;

import io.github.kafkamailer.model.ConfigField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the configuration page lays out the tenant fields: in the groups an admin thinks in, each field with its
 * label, help text, type and bounds taken from {@link ConfigField}, and when it shows and when it is required.
 * The "required when" conditions mirror {@code ConfigRules}' rules between fields so the browser can say so
 * before Save; the server checks with {@code ConfigRules} itself, and {@code ConfigFormTest} keeps the two in
 * step.
 */
final class ConfigForm {
    /** A condition on the form's checkboxes: true when any of {@code anyChecked} is, and none of {@code noneChecked}. */
    record When(List<String> anyChecked, List<String> noneChecked) {
        static final When ALWAYS = new When(List.of(), List.of());
        static final When NEVER = null;

        static When anyChecked(ConfigField... boxes) {
            return new When(names(boxes), List.of());
        }

        static When noneChecked(ConfigField... boxes) {
            return new When(List.of(), names(boxes));
        }

        boolean holds(Set<String> checked) {
            boolean any = anyChecked.isEmpty() || anyChecked.stream().anyMatch(checked::contains);
            return any && noneChecked.stream().noneMatch(checked::contains);
        }
    }

    /** One field on the page. {@code requiredWhen} null: never required. */
    record Field(ConfigField field, When shownWhen, When requiredWhen, boolean advanced) {
    }

    record Group(String id, String title, String description, List<Field> fields) {
    }

    static final List<Group> GROUPS = List.of(
            new Group("sending", "Sending", "Turn the sending process on or off for this tenant.", List.of(
                    always(ConfigField.ENABLED))),
            new Group("smtp", "SMTP server", "The mail server the emails go out through. Not used when sending"
                    + " through Microsoft Graph.", List.of(
                    new Field(ConfigField.SMTP_HOST, When.noneChecked(ConfigField.USE_GRAPH_API),
                            When.noneChecked(ConfigField.USE_GRAPH_API), false),
                    smtp(ConfigField.SMTP_PORT),
                    smtp(ConfigField.START_TLS),
                    smtp(ConfigField.SMTP_SSL),
                    new Field(ConfigField.SMTP_USER, When.noneChecked(ConfigField.USE_GRAPH_API),
                            When.anyChecked(ConfigField.USE_OAUTH), false),
                    new Field(ConfigField.SMTP_PASSWORD,
                            When.noneChecked(ConfigField.USE_GRAPH_API, ConfigField.USE_OAUTH), When.NEVER, false),
                    smtp(ConfigField.SMTP_CONNECTIONS))),
            new Group("fallback", "Fallback SMTP server", "A second server for runs whose server (SMTP or Microsoft"
                    + " Graph) is down, refuses the connection or fails TLS; the next run tries the first again."
                    + " Optional.", List.of(
                    always(ConfigField.FALLBACK_SMTP_HOST),
                    always(ConfigField.FALLBACK_SMTP_PORT),
                    always(ConfigField.FALLBACK_START_TLS),
                    always(ConfigField.FALLBACK_SMTP_SSL),
                    always(ConfigField.FALLBACK_SMTP_USER),
                    always(ConfigField.FALLBACK_SMTP_PASSWORD))),
            new Group("microsoft", "Microsoft 365", "Sign-in with an app registration of Microsoft Entra: for"
                    + " OAuth on SMTP, for sending through Graph, and for Outlook (New) drafts.", List.of(
                    always(ConfigField.USE_OAUTH),
                    always(ConfigField.USE_GRAPH_API),
                    microsoft(ConfigField.TENANT_ID),
                    microsoft(ConfigField.CLIENT_ID),
                    microsoft(ConfigField.CLIENT_SECRET),
                    new Field(ConfigField.AUTHORITY_HOST, When.ALWAYS, When.NEVER, true),
                    new Field(ConfigField.GRAPH_BASE_URL, When.ALWAYS, When.NEVER, true))),
            new Group("sender", "Sender", "Who the emails say they are from.", List.of(
                    new Field(ConfigField.POSTMASTER, When.ALWAYS, When.anyChecked(ConfigField.FORCE_POSTMASTER),
                            false),
                    always(ConfigField.OUTLOOK_SENDER),
                    always(ConfigField.FORCE_POSTMASTER))),
            new Group("timing", "Timing", "When emails go out, how long failures are retried and how long"
                    + " records are kept.", List.of(
                    always(ConfigField.CAMPAIGN_INTERVAL_SECONDS),
                    always(ConfigField.MAX_ERROR_SECONDS),
                    always(ConfigField.RETENTION_DAYS),
                    always(ConfigField.MAX_EMAILS_PER_MINUTE),
                    always(ConfigField.SKIP_PENDING_ON_START))),
            new Group("bounces", "Bounces", "A mailbox that receives the bounce reports, read over IMAP: a bounced"
                    + " email gets a BOUNCED status, and a permanent bounce stops emails to that address. User and"
                    + " password are required with the host.", List.of(
                    always(ConfigField.BOUNCE_IMAP_HOST),
                    always(ConfigField.BOUNCE_IMAP_PORT),
                    always(ConfigField.BOUNCE_IMAP_USER),
                    always(ConfigField.BOUNCE_IMAP_PASSWORD),
                    always(ConfigField.BOUNCE_IMAP_SSL),
                    always(ConfigField.BOUNCE_IMAP_START_TLS),
                    always(ConfigField.BOUNCE_POLL_SECONDS))));

    private ConfigForm() {
    }

    private static Field always(ConfigField f) {
        return new Field(f, When.ALWAYS, When.NEVER, false);
    }

    private static Field smtp(ConfigField f) {
        return new Field(f, When.noneChecked(ConfigField.USE_GRAPH_API), When.NEVER, false);
    }

    private static Field microsoft(ConfigField f) {
        return new Field(f, When.ALWAYS, When.anyChecked(ConfigField.USE_OAUTH, ConfigField.USE_GRAPH_API), false);
    }

    private static List<String> names(ConfigField... fields) {
        List<String> out = new ArrayList<>();
        for (ConfigField f : fields) {
            out.add(f.jsonName());
        }
        return List.copyOf(out);
    }

    /** The fields the form says are required when exactly {@code checked} boxes are checked. */
    static Set<String> requiredWith(Set<String> checked) {
        Set<String> out = new java.util.TreeSet<>();
        for (Group g : GROUPS) {
            for (Field f : g.fields()) {
                if (f.requiredWhen() != null && f.requiredWhen().holds(checked)) {
                    out.add(f.field().jsonName());
                }
            }
        }
        return out;
    }

    /** The page's schema as JSON-ready values, for the browser to draw the form from. */
    static Map<String, Object> schema() {
        List<Object> groups = new ArrayList<>();
        for (Group g : GROUPS) {
            List<Object> fields = new ArrayList<>();
            for (Field f : g.fields()) {
                ConfigField c = f.field();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.jsonName());
                m.put("label", c.label());
                m.put("help", c.help());
                m.put("type", c.type().name());
                m.put("default", c.defaultValue());
                if (c.type() == ConfigField.Type.INT) {
                    m.put("min", c.min());
                    m.put("max", Math.min(c.max(), Integer.MAX_VALUE));
                }
                m.put("shownWhen", f.shownWhen());
                m.put("requiredWhen", f.requiredWhen());
                m.put("advanced", f.advanced());
                fields.add(m);
            }
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("id", g.id());
            gm.put("title", g.title());
            gm.put("description", g.description());
            gm.put("fields", fields);
            groups.add(gm);
        }
        return Map.of("groups", groups);
    }
}
