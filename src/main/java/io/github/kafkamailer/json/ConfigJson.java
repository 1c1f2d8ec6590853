package io.github.kafkamailer.json;

import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;

/** Config records to and from the JSON of the config topic. */
public final class ConfigJson {
    private ConfigJson() {
    }

    /** Parses and validates; throws {@link io.github.kafkamailer.model.InvalidRecordException} with the reasons. */
    public static MailerConfig parse(byte[] bytes) {
        return ConfigRules.parse(Json.object(bytes));
    }

    /** The record with every field and its effective value; secrets shown as ******** (for people). */
    public static String writeRedacted(MailerConfig config) {
        return new String(Json.write(config.toFieldMap(true), true), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The decoded JSON object of a record, not yet validated (for merging before {@link ConfigRules#parse}). */
    public static java.util.Map<String, Object> fields(byte[] bytes) {
        return Json.object(bytes);
    }

    /** A record given as its fields, compact, for publishing. */
    public static byte[] writeFields(java.util.Map<String, ?> fields) {
        return Json.write(fields, false);
    }

    /**
     * Every field with its effective value, except the secrets, which are left out: pretty JSON that
     * {@code config set --file} takes back, keeping the secrets in force.
     */
    public static String writeWithoutSecrets(MailerConfig config) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        config.toFieldMap(true).forEach((k, v) -> {
            io.github.kafkamailer.model.ConfigField f = io.github.kafkamailer.model.ConfigField.byJsonName(k);
            if (v != null && !f.isSecret()) {
                m.put(k, v);
            }
        });
        return new String(Json.write(m, true), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The record with its secrets, for storing it again (never for display). */
    public static byte[] writeWithSecrets(MailerConfig config) {
        return Json.write(config.toFieldMap(false), false);
    }
}
