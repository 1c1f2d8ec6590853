package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard has the operators' panels, on the provisioned data source, over exported metrics, each
 * narrowed by the tenant and instance variables.
 */
class DashboardTest {
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?");

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Path.of("config", "grafana", "dashboards", "mailer.json").toFile());
    }

    /** Every query of the dashboard, by panel title. */
    private static Map<String, List<String>> queries() throws IOException {
        Map<String, List<String>> byPanel = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            byPanel.put(panel.path("title").asText(), exprs);
        }
        return byPanel;
    }

    private static boolean exported(String metric) {
        return ExportedMetrics.NAMES.contains(metric) || ExportedMetrics.FROM_PROMETHEUS.contains(metric)
                || ExportedMetrics.PROMISED.contains(metric);
    }

    @Test
    void shouldHaveTheOperatorsPanels() throws IOException {
        assertThat(queries().keySet()).containsExactlyInAnyOrder("Up", "Stream threads alive",
                "Failed stream threads (1h)", "Throughput by transport", "Delivery latency", "Pending by tenant",
                "Oldest pending email by tenant", "Failures by kind", "Retries", "Dead letters by kind",
                "Kafka consumer lag");
        assertThat(queries().get("Up")).singleElement().asString().startsWith("up{");
        assertThat(queries().get("Failures by kind")).singleElement().asString()
                .startsWith("sum by (kind) (rate(mailer_emails_failed_total{");
    }

    @Test
    void shouldQueryOnlyExportedMetricsThroughTheProvisionedDataSource() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            String title = panel.path("title").asText();
            if (!"prometheus".equals(panel.path("datasource").path("uid").asText())) {
                problems.add(title + ": data source is not uid 'prometheus'");
            }
            for (JsonNode target : panel.path("targets")) {
                PromQl.metricNames(target.path("expr").asText()).stream()
                        .filter(m -> !exported(m))
                        .forEach(m -> problems.add(title + ": " + m + " is not exported"));
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(title + ": no query");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldOfferTenantAndInstanceVariables() throws IOException {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard().path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsOnlyKeys("instance", "tenant");
        variables.forEach((name, v) -> {
            assertThat(v.path("type").asText()).as(name).isEqualTo("query");
            assertThat(v.path("datasource").path("uid").asText()).as(name).isEqualTo("prometheus");
            assertThat(v.path("multi").asBoolean()).as(name + " multi").isTrue();
            assertThat(v.path("includeAll").asBoolean()).as(name + " includeAll").isTrue();
            // "All" as a regex matching every value, also those that appear after the dashboard loaded.
            assertThat(v.path("allValue").asText()).as(name).isEqualTo(".*");
            String query = v.path("query").asText();
            Matcher m = Pattern.compile("^label_values\\((.*), (\\w+)\\)$").matcher(query);
            assertThat(m.matches()).as(name + ": " + query).isTrue();
            assertThat(m.group(2)).isEqualTo(name);
            assertThat(PromQl.metricNames(m.group(1))).allMatch(DashboardTest::exported);
        });
    }

    @Test
    void shouldNarrowEveryQueryToTheChosenTenantsAndInstances() throws IOException {
        List<String> problems = new ArrayList<>();
        queries().forEach((title, exprs) -> exprs.forEach(expr -> {
            for (String metric : PromQl.metricNames(expr)) {
                Matcher m = SELECTOR.matcher(expr);
                while (m.find()) {
                    if (!m.group(1).equals(metric)) {
                        continue;
                    }
                    String matchers = m.group(2) == null ? "" : m.group(2);
                    if (!matchers.contains("instance=~\"$instance\"")) {
                        problems.add(title + ": " + metric + " without the instance variable");
                    }
                    // The mailer's own metrics carry a tenant label; Kafka's and Prometheus's don't.
                    if (metric.startsWith("mailer_") && !matchers.contains("tenant=~\"$tenant\"")) {
                        problems.add(title + ": " + metric + " without the tenant variable");
                    }
                    if (!metric.startsWith("mailer_") && !matchers.contains("job=\"mailer\"")) {
                        problems.add(title + ": " + metric + " without job=\"mailer\" (other jobs export it too)");
                    }
                }
            }
        }));
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldShowLatencyPercentiles() throws IOException {
        assertThat(queries().get("Delivery latency")).anyMatch(e -> e.startsWith("histogram_quantile(0.5,"))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.95,"))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.99,"));
    }

    @Test
    void shouldParseEveryQueryAsPrometheusDoes() throws Exception {
        Promtool promtool = Promtool.requireOrSkip();
        // Each query as a recording rule, Grafana's variables replaced as Grafana does before sending it.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (List<String> exprs : queries().values()) {
            for (String expr : exprs) {
                String promql = expr.replace("$__rate_interval", "1m").replace("$tenant", ".*")
                        .replace("$instance", ".*");
                rules.append("      - record: dashboard:query_").append(++n).append("\n        expr: '")
                        .append(promql.replace("'", "''")).append("'\n");
            }
        }
        Path file = Files.createTempFile("dashboard-queries", ".yml");
        try {
            Files.writeString(file, rules);
            Promtool.Result r = promtool.run("check", "rules", file.toString());
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(r.output()).contains("SUCCESS: " + n + " rules found");
        } finally {
            Files.delete(file);
        }
    }
}
