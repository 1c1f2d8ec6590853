package io.github.kafkamailer.admin;

import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Secret;
import io.github.kafkamailer.model.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Changes to a config field by field, as an admin types them ({@code campaignIntervalSeconds=60}): the record
 * in force is the base, the fields named are set or unset (back to their default), and every other field,
 * secrets included, is kept. The result goes through {@link ConfigRules} like any record.
 */
public final class ConfigEdit {
    private ConfigEdit() {
    }

    /**
     * @param base  the config in force; null to start from an empty record
     * @param set   field name to its new value as text ({@code true}, {@code 60}, {@code smtp.example.com});
     *              an empty value unsets
     * @param unset fields to take back to their default
     * @throws InvalidRecordException naming each unknown field, each value of the wrong type, and each rule the
     *                                result breaks; never a secret's value
     */
    public static MailerConfig apply(MailerConfig base, Map<String, String> set, Set<String> unset) {
        Map<String, Object> record = base == null ? new LinkedHashMap<>() : withoutDefaults(base);
        List<Violation> problems = new ArrayList<>();
        for (String name : unset) {
            if (ConfigField.byJsonName(name) == null) {
                problems.add(new Violation(name, "unknown field"));
            }
            record.remove(name);
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            ConfigField field = ConfigField.byJsonName(e.getKey());
            if (field == null) {
                problems.add(new Violation(e.getKey(), "unknown field"));
                continue;
            }
            if (unset.contains(e.getKey())) {
                problems.add(new Violation(e.getKey(), "is both set and unset"));
                continue;
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                record.remove(field.jsonName());
                continue;
            }
            Object typed = typed(field, e.getValue(), problems);
            if (typed != null) {
                record.put(field.jsonName(), typed);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRecordException(problems);
        }
        return ConfigRules.parse(record);
    }

    /**
     * A record as published (decoded JSON) where the secrets it leaves out, or gives as the redacted
     * placeholder that {@code config get} prints, are those of {@code inForce}: so a record fetched, edited and
     * published back keeps its secrets without anyone retyping them. An empty string still removes a secret.
     */
    public static MailerConfig keepingSecrets(Map<String, ?> record, MailerConfig inForce) {
        Map<String, Object> merged = new LinkedHashMap<>(record);
        if (inForce != null) {
            for (ConfigField f : ConfigField.values()) {
                Object given = merged.get(f.jsonName());
                if (f.isSecret() && (given == null || Secret.REDACTED.equals(given))
                        && inForce.value(f) instanceof Secret s) {
                    merged.put(f.jsonName(), s.reveal());
                }
            }
        }
        return ConfigRules.parse(merged);
    }

    /**
     * The record that says what {@code config} says, with only the fields whose value differs from their
     * default: a default that a later version changes then applies to this tenant too. Secrets revealed: for
     * publishing, never for display.
     */
    public static Map<String, Object> withoutDefaults(MailerConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigField f : ConfigField.values()) {
            Object v = config.value(f);
            if (v instanceof Secret s) {
                v = s.reveal();
            }
            if (v != null && !Objects.equals(v, f.defaultValue())) {
                m.put(f.jsonName(), v);
            }
        }
        return m;
    }

    /** The names of the fields whose effective values differ, in declaration order. */
    public static List<String> changedFields(MailerConfig before, MailerConfig after) {
        List<String> out = new ArrayList<>();
        for (ConfigField f : ConfigField.values()) {
            Object a = before == null ? f.defaultValue() : before.value(f);
            if (!Objects.equals(a, after.value(f))) {
                out.add(f.jsonName());
            }
        }
        return out;
    }

    private static Object typed(ConfigField field, String text, List<Violation> problems) {
        if (text == null) {
            return null;
        }
        switch (field.type()) {
            case BOOLEAN -> {
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(text);
                }
                problems.add(new Violation(field.jsonName(), "must be true or false, got '" + text + "'"));
                return null;
            }
            case INT -> {
                try {
                    return Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    problems.add(new Violation(field.jsonName(), "must be a whole number, got '" + text + "'"));
                    return null;
                }
            }
            default -> {
                // Strings, addresses, URLs and secrets: ConfigRules checks them (and never echoes a secret).
                return text;
            }
        }
    }
}
