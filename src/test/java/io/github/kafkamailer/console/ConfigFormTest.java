package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConfigFormTest {
    @Test
    void shouldShowEveryFieldOfTheRecordExactlyOnce() {
        List<ConfigField> onForm = new ArrayList<>();
        ConfigForm.GROUPS.forEach(g -> g.fields().forEach(f -> onForm.add(f.field())));
        assertThat(onForm).containsExactlyInAnyOrder(ConfigField.values());
    }

    @Test
    void shouldGiveEveryFieldALabelAndHelpText() {
        for (ConfigField f : ConfigField.values()) {
            assertThat(f.label()).as(f.jsonName()).isNotBlank();
            assertThat(f.help()).as(f.jsonName()).isNotBlank().endsWith(".");
        }
    }

    /**
     * The browser marks fields required from the form's conditions; the server decides with ConfigRules. For
     * every combination of the boxes the conditions depend on, both name the same missing fields.
     */
    @Test
    void shouldMarkRequiredExactlyTheFieldsConfigRulesRequires() {
        List<String> boxes = List.of("useOAuth", "useGraphApi", "forcePostmaster");
        for (int mask = 0; mask < 1 << boxes.size(); mask++) {
            Map<String, Object> raw = new HashMap<>();
            Set<String> checked = new HashSet<>();
            for (int i = 0; i < boxes.size(); i++) {
                boolean on = (mask & (1 << i)) != 0;
                raw.put(boxes.get(i), on);
                if (on) {
                    checked.add(boxes.get(i));
                }
            }
            Set<String> missing = new TreeSet<>();
            try {
                ConfigRules.parse(raw);
            } catch (InvalidRecordException e) {
                e.violations().stream().map(Violation::field).forEach(missing::add);
            }
            assertThat(ConfigForm.requiredWith(checked)).as("checked %s", checked).isEqualTo(missing);
        }
    }

    @Test
    void shouldHideSmtpFieldsWhenSendingThroughGraph() {
        ConfigForm.Field host = ConfigForm.GROUPS.stream().flatMap(g -> g.fields().stream())
                .filter(f -> f.field() == ConfigField.SMTP_HOST).findFirst().orElseThrow();
        assertThat(host.shownWhen().holds(Set.of())).isTrue();
        assertThat(host.shownWhen().holds(Set.of("useGraphApi"))).isFalse();
    }

    @Test
    void shouldDescribeEachFieldWithItsLabelHelpAndConditions() {
        String schema = ConfigForm.schema().toString();
        assertThat(schema).contains("smtpPassword", "SMTP password", ConfigField.SMTP_PASSWORD.help(),
                "requiredWhen", "shownWhen");
    }
}
