package io.github.kafkamailer.model;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where a config record is checked against CONTRACT.md: each field's type and bounds (declared
 * in {@link ConfigField}), then the rules that tie fields together. Every violation is reported against its
 * field, all at once.
 */
public final class ConfigRules {
    private ConfigRules() {
    }

    /**
     * Parses a decoded JSON object (values as JSON decoders give them: Boolean, Number, String, null) into a
     * valid config, or throws {@link InvalidRecordException} listing every broken rule. An unknown field is
     * an error, so a typo never silently falls back to a default.
     */
    public static MailerConfig parse(Map<String, ?> raw) {
        List<Violation> violations = new ArrayList<>();
        Map<ConfigField, Object> values = new EnumMap<>(ConfigField.class);
        for (String name : raw.keySet()) {
            if (ConfigField.byJsonName(name) == null) {
                violations.add(new Violation(name, "unknown field"));
            }
        }
        for (ConfigField field : ConfigField.values()) {
            Object v = raw.get(field.jsonName());
            Object typed = v == null ? field.defaultValue() : typed(field, v, violations);
            if (typed != null) {
                values.put(field, typed);
            }
        }
        // The rules between fields are checked too, so the admin sees every problem at once; a field that is
        // already wrong on its own is not reported a second time.
        List<Violation> together = new ArrayList<>();
        checkTogether(values, together);
        for (Violation v : together) {
            if (violations.stream().noneMatch(x -> x.field().equals(v.field()))) {
                violations.add(v);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRecordException(violations);
        }
        return build(values);
    }

    private static Object typed(ConfigField field, Object v, List<Violation> violations) {
        String name = field.jsonName();
        if (field.isSecret() && !(v instanceof String)) {
            // Never echo a secret's value, even a mistyped one.
            violations.add(new Violation(name, "must be a string"));
            return null;
        }
        switch (field.type()) {
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    return b;
                }
                violations.add(new Violation(name, "must be true or false, got " + describe(v)));
            }
            case INT -> {
                if (v instanceof Number n && isWhole(n)) {
                    long l = n.longValue();
                    if (l < field.min() || l > field.max()) {
                        violations.add(new Violation(name, "must be " + range(field) + ", got " + l));
                        return null;
                    }
                    return (int) l;
                }
                violations.add(new Violation(name, "must be a whole number, got " + describe(v)));
            }
            case STRING, SECRET, ADDRESS, HTTPS_URL -> {
                if (!(v instanceof String s)) {
                    violations.add(new Violation(name, "must be a string, got " + describe(v)));
                    return null;
                }
                if (s.isEmpty()) {
                    // An empty field on the screen means "not set": the default applies.
                    return field.type() == ConfigField.Type.SECRET ? null : field.defaultValue();
                }
                if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    violations.add(new Violation(name, "must not contain control characters (CR, LF, ...)"));
                    return null;
                }
                if (field.type() == ConfigField.Type.ADDRESS) {
                    String problem = Addresses.problem(s);
                    if (problem != null) {
                        violations.add(new Violation(name, "'" + s + "' " + problem));
                        return null;
                    }
                }
                if (field.type() == ConfigField.Type.HTTPS_URL && !isHttpsUrl(s)) {
                    violations.add(new Violation(name, "must be an https:// URL with a host, got '" + s + "'"));
                    return null;
                }
                if (field.type() == ConfigField.Type.SECRET) {
                    if (s.equals(Secret.REDACTED)) {
                        violations.add(new Violation(name, "is the redacted placeholder shown by config get: give"
                                + " the secret itself or a ${env:NAME} / ${file:/path} reference"));
                        return null;
                    }
                    String problem = SecretReferences.syntaxProblem(s);
                    if (problem != null) {
                        violations.add(new Violation(name, problem));
                        return null;
                    }
                    return Secret.ofNullable(s);
                }
                return s;
            }
        }
        return null;
    }

    private static void checkTogether(Map<ConfigField, Object> v, List<Violation> violations) {
        boolean oauth = isTrue(v, ConfigField.USE_OAUTH);
        boolean graph = isTrue(v, ConfigField.USE_GRAPH_API);
        if (!graph && v.get(ConfigField.SMTP_HOST) == null) {
            violations.add(new Violation("smtpHost", "is required for SMTP sending (useGraphApi is false)"));
        }
        if (oauth && v.get(ConfigField.SMTP_USER) == null) {
            violations.add(new Violation("smtpUser", "is required with useOAuth: the mailbox the token authenticates as"));
        }
        if (oauth || graph) {
            String why = " is required when " + (graph ? "useGraphApi" : "useOAuth") + " is true";
            for (ConfigField f : List.of(ConfigField.TENANT_ID, ConfigField.CLIENT_ID, ConfigField.CLIENT_SECRET)) {
                if (v.get(f) == null) {
                    violations.add(new Violation(f.jsonName(), f.jsonName() + why));
                }
            }
        }
        ServerFields.PRIMARY_SMTP.checkTlsChoice(v, violations);
        ServerFields.FALLBACK_SMTP.checkTlsChoice(v, violations);
        if (isTrue(v, ConfigField.FORCE_POSTMASTER) && v.get(ConfigField.POSTMASTER) == null) {
            violations.add(new Violation("postmaster", "is required when forcePostmaster is true (its default)"));
        }
        ServerFields.BOUNCE_IMAP.checkSignIn(v, violations);
    }

    private static MailerConfig build(Map<ConfigField, Object> v) {
        SmtpServer smtp = ServerFields.PRIMARY_SMTP.smtp(v);
        ImapMailbox bounce = ServerFields.BOUNCE_IMAP.imap(v);
        SmtpServer fallback = ServerFields.FALLBACK_SMTP.smtp(v);
        return new MailerConfig(
                isTrue(v, ConfigField.ENABLED),
                smtp.host(), smtp.port(), smtp.user(), smtp.password(),
                isTrue(v, ConfigField.USE_OAUTH),
                isTrue(v, ConfigField.USE_GRAPH_API),
                (String) v.get(ConfigField.TENANT_ID),
                (String) v.get(ConfigField.CLIENT_ID),
                (Secret) v.get(ConfigField.CLIENT_SECRET),
                smtp.startTls(),
                (String) v.get(ConfigField.POSTMASTER),
                (String) v.get(ConfigField.OUTLOOK_SENDER),
                isTrue(v, ConfigField.FORCE_POSTMASTER),
                (Integer) v.get(ConfigField.MAX_ERROR_SECONDS),
                (Integer) v.get(ConfigField.CAMPAIGN_INTERVAL_SECONDS),
                (Integer) v.get(ConfigField.RETENTION_DAYS),
                isTrue(v, ConfigField.SKIP_PENDING_ON_START),
                smtp.ssl(),
                (Integer) v.get(ConfigField.SMTP_CONNECTIONS),
                (Integer) v.get(ConfigField.MAX_EMAILS_PER_MINUTE),
                (String) v.get(ConfigField.AUTHORITY_HOST),
                (String) v.get(ConfigField.GRAPH_BASE_URL),
                bounce.host(), bounce.port(), bounce.user(), bounce.password(), bounce.ssl(), bounce.startTls(),
                (Integer) v.get(ConfigField.BOUNCE_POLL_SECONDS),
                fallback.host(), fallback.port(), fallback.user(), fallback.password(), fallback.startTls(),
                fallback.ssl());
    }

    private static boolean isTrue(Map<ConfigField, Object> v, ConfigField f) {
        return Boolean.TRUE.equals(v.get(f));
    }

    private static boolean isWhole(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return true;
        }
        if (n instanceof java.math.BigInteger b) {
            return b.bitLength() < 63;
        }
        double d = n.doubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.0e15;
    }

    private static boolean isHttpsUrl(String s) {
        try {
            URI uri = new URI(s);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static String range(ConfigField f) {
        if (f.max() == Integer.MAX_VALUE) {
            return "at least " + f.min();
        }
        return "between " + f.min() + " and " + f.max();
    }

    static String describe(Object v) {
        if (v instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        return String.valueOf(v);
    }
}
