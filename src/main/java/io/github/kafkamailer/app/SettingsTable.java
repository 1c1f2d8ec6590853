package io.github.kafkamailer.app;

import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * README's table of the mailer's own settings, drawn from {@link MailerSettings#DEFINITION}; a test keeps README in
 * step. {@code java -cp target/mailer.jar io.github.kafkamailer.app.SettingsTable} prints it.
 */
public final class SettingsTable {
    private SettingsTable() {
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }

    /** One row per key, in the order of the declarations. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| setting | type | default | valid values | importance | also | what it does |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (ConfigKey key : MailerSettings.DEFINITION.configKeys().values()) {
            List<String> others = MailerSettings.OTHER_NAMES.getOrDefault(key.name, List.of());
            b.append("| `").append(key.name).append("` | ")
                    .append(key.type == ConfigDef.Type.PASSWORD ? "secret" : key.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(defaultOf(key))
                    .append(" | ").append(key.validator == null ? "" : cell(key.validator.toString()))
                    .append(" | ").append(key.importance.name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(others.isEmpty() ? "" : "`" + String.join("`, `", others) + "`")
                    .append(" | ").append(cell(key.documentation)).append(" |\n");
        }
        return b.toString();
    }

    private static String defaultOf(ConfigKey key) {
        if (key.defaultValue == null) {
            return "none";
        }
        String d = ConfigDef.convertToString(key.defaultValue, key.type);
        return d.isEmpty() ? "none" : "`" + d + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
