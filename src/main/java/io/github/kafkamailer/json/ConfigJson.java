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

    /** The record with its secrets, for storing it again (never for display). */
    public static byte[] writeWithSecrets(MailerConfig config) {
        return Json.write(config.toFieldMap(false), false);
    }
}
