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
 * The Grafana dashboard has the operators' panels, over exported metrics, each narrowed by the job, tenant and
 * instance variables, on whichever Prometheus data source the viewer picks (none named in the file), under
 * whichever job name Prometheus gives the mailer.
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
    void shouldQueryOnlyExportedMetricsThroughTheChosenDataSource() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            String title = panel.path("title").asText();
            if (!isTheChosenDataSource(panel.path("datasource"))) {
                problems.add(title + ": data source is not ${datasource}");
            }
            for (JsonNode target : panel.path("targets")) {
                if (!isTheChosenDataSource(target.path("datasource"))) {
                    problems.add(title + " " + target.path("refId").asText() + ": data source is not ${datasource}");
                }
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

    private static boolean isTheChosenDataSource(JsonNode datasource) {
        return "prometheus".equals(datasource.path("type").asText())
                && "${datasource}".equals(datasource.path("uid").asText());
    }

    private static Map<String, JsonNode> variables() throws IOException {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard().path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        return variables;
    }

    @Test
    void shouldNameNoDataSourceAndNoJob() throws IOException {
        // Another Prometheus (its own uid) or a ServiceMonitor (job = the Service's name) must still fill it.
        String text = Files.readString(Path.of("config", "grafana", "dashboards", "mailer.json"));
        assertThat(text).doesNotContain("\"uid\": \"prometheus\"").doesNotContain("job=\\\"");
        JsonNode datasource = variables().get("datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    }

    @Test
    void shouldOfferJobTenantAndInstanceVariables() throws IOException {
        Map<String, JsonNode> variables = variables();
        assertThat(variables).containsOnlyKeys("datasource", "job", "instance", "tenant");
        variables.remove("datasource");
        variables.forEach((name, v) -> {
            assertThat(v.path("type").asText()).as(name).isEqualTo("query");
            assertThat(isTheChosenDataSource(v.path("datasource"))).as(name + " data source").isTrue();
            assertThat(v.path("multi").asBoolean()).as(name + " multi").isTrue();
            assertThat(v.path("includeAll").asBoolean()).as(name + " includeAll").isTrue();
            String query = v.path("query").asText();
            Matcher m = Pattern.compile("^label_values\\((.*), (\\w+)\\)$").matcher(query);
            assertThat(m.matches()).as(name + ": " + query).isTrue();
            assertThat(m.group(2)).isEqualTo(name);
            assertThat(PromQl.metricNames(m.group(1))).allMatch(DashboardTest::exported);
            // Only targets that export the mailer's own metrics: never another program's job or instance.
            assertThat(PromQl.metricNames(m.group(1))).as(name).allMatch(metric -> metric.startsWith("mailer_"));
            if (!name.equals("job")) {
                assertThat(m.group(1)).as(name).contains("job=~\"$job\"");
                // "All" as a regex matching every value, also those that appear after the dashboard loaded.
                assertThat(v.path("allValue").asText()).as(name).isEqualTo(".*");
            }
        });
        // "All" jobs are those found, never ".*": "up" and Kafka's metrics come from other programs too.
        assertThat(variables.get("job").path("allValue").asText("")).isEmpty();
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
                    if (!matchers.contains("job=~\"$job\"")) {
                        problems.add(title + ": " + metric + " without the job variable (other jobs export it too)");
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
                        .replace("$instance", ".*").replace("$job", "mailer|mail-eu");
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
