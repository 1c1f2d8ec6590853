package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The alert rules parse, say what to do, and use only metrics the mailer exports. */
class AlertRulesTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Map<String, JsonNode> rules() throws IOException {
        JsonNode root = YAML.readTree(Path.of("config", "alerts.yml").toFile());
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode group : root.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                byName.put(rule.path("alert").asText(), rule);
            }
        }
        return byName;
    }

    @Test
    void shouldDeclareTheAlertsEachWithWhatToDo() throws IOException {
        Map<String, JsonNode> rules = rules();
        assertThat(rules).containsOnlyKeys("MailerDown", "MailerDeadLettersGrowing", "MailerOldestPendingTooOld",
                "MailerSendFailureRatioHigh", "MailerConfigRejected", "MailerStreamThreadFailed",
                "MailerConsumerLagHigh", "MailerRestarting");
        rules.forEach((name, rule) -> {
            assertThat(rule.path("expr").asText()).as(name + " expr").isNotBlank();
            assertThat(rule.path("for").asText()).as(name + " for").matches("\\d+[smh]");
            assertThat(rule.path("labels").path("severity").asText()).as(name + " severity").isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name + " description").hasSizeGreaterThan(40);
        });
    }

    @Test
    void shouldUseOnlyExportedMetrics() throws IOException {
        List<String> unknown = new ArrayList<>();
        rules().forEach((name, rule) -> PromQl.metricNames(rule.path("expr").asText()).stream()
                .filter(m -> !ExportedMetrics.NAMES.contains(m) && !ExportedMetrics.FROM_PROMETHEUS.contains(m)
                        && !ExportedMetrics.PROMISED.contains(m))
                .forEach(m -> unknown.add(name + ": " + m)));
        assertThat(unknown).isEmpty();
    }

    /** What marks a scrape target as a mailer in the rules, whatever its job is called. */
    static final String MARKER = "mailer_config_rejected_total";

    @Test
    void shouldNameNoJobAndNarrowOtherProgramsMetricsToMailers() throws IOException {
        List<String> problems = new ArrayList<>();
        rules().forEach((name, rule) -> {
            String expr = rule.path("expr").asText();
            if (expr.contains("job=") || expr.contains("job!")) {
                problems.add(name + ": names a job (a ServiceMonitor's job is its Service's name)");
            }
            boolean foreign = PromQl.metricNames(expr).stream().anyMatch(m -> !m.startsWith("mailer_"));
            if (foreign && !expr.contains("on (job, instance)")) {
                problems.add(name + ": uses a metric other programs export too, not narrowed to mailers");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldMarkMailersByAMetricEveryInstanceExportsFromItsStart() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        new io.github.kafkamailer.metrics.MailerMetrics(registry);
        // Before any tenant, any email, any config: MailerDown tells a mailer that is down by it.
        assertThat(registry.scrape()).containsPattern("(?m)^" + MARKER + "\\{tenant=\"unknown\"} 0(\\.0)?$");
    }

    @Test
    void shouldPromiseOnlyMetricsOfTheContract() throws IOException {
        String contract = Files.readString(Path.of("docs", "CONTRACT.md"));
        assertThat(ExportedMetrics.PROMISED).allMatch(m -> contract.contains("`" + m + "`"));
    }

    @Test
    void shouldUseTheRulesThatPrometheusLoads() throws IOException {
        assertThat(texts(tests().path("rule_files"))).containsExactly("alerts.yml");
    }

    @Test
    void shouldTestWhenEveryAlertFiresAndWhenItStaysQuiet() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode group : tests().path("tests")) {
            for (JsonNode test : group.path("alert_rule_test")) {
                (test.path("exp_alerts").isEmpty() ? quiet : firing).add(test.path("alertname").asText());
            }
        }
        assertThat(firing).as("alerts with a firing case").isEqualTo(rules().keySet());
        assertThat(quiet).as("alerts with a quiet case").isEqualTo(rules().keySet());
    }

    @Test
    void shouldFeedTheTestsOnlySeriesThatExist() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (JsonNode group : tests().path("tests")) {
            for (JsonNode series : group.path("input_series")) {
                PromQl.metricNames(series.path("series").asText()).stream()
                        .filter(m -> !ExportedMetrics.NAMES.contains(m) && !ExportedMetrics.FROM_PROMETHEUS.contains(m)
                                && !ExportedMetrics.PROMISED.contains(m))
                        .forEach(m -> unknown.add(group.path("name").asText() + ": " + m));
            }
        }
        assertThat(unknown).isEmpty();
    }

    static JsonNode tests() throws IOException {
        return YAML.readTree(Path.of("config", "alerts.test.yml").toFile());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void shouldReadMetricNamesOutOfPromQl() {
        assertThat(PromQl.metricNames("sum by (tenant) (increase(mailer_x_total{kind=\"a b\"}[15m])) > 0.2"))
                .isEqualTo(Set.of("mailer_x_total"));
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(lat_bucket[5m]))) and on (tenant) up == 0"))
                .isEqualTo(Set.of("lat_bucket", "up"));
        // A function the reader has no list of is still a function: a metric name is never followed by "(".
        assertThat(PromQl.metricNames("last_over_time(a_total[1h]) unless on(tenant) sum(b) without (kind) > 1e3"))
                .isEqualTo(Set.of("a_total", "b"));
        assertThat(PromQl.metricNames(
                "label_replace(c offset 5m, \"dst\", \"$1\", \"src\", \"(.*) x\") * on (t) group_left d"))
                .isEqualTo(Set.of("c", "d"));
        assertThat(PromQl.metricNames("max by(client_id)(lag{topic='mail.outbox'}) - absent(e) or vector(0)"))
                .isEqualTo(Set.of("lag", "e"));
    }
}
