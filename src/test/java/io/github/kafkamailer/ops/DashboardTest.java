package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard has the operators' panels, on the provisioned data source, over exported metrics. */
class DashboardTest {
    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Path.of("config", "grafana", "dashboards", "mailer.json").toFile());
    }

    @Test
    void shouldHaveTheOperatorsPanels() throws IOException {
        List<String> titles = new ArrayList<>();
        dashboard().path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles).containsExactlyInAnyOrder("Throughput by transport", "Delivery latency",
                "Pending by tenant", "Retries", "Dead letters by kind", "Kafka consumer lag");
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
                        .filter(m -> !ExportedMetrics.NAMES.contains(m))
                        .forEach(m -> problems.add(title + ": " + m + " is not exported"));
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(title + ": no query");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldShowLatencyPercentiles() throws IOException {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            if (panel.path("title").asText().equals("Delivery latency")) {
                panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            }
        }
        assertThat(exprs).anyMatch(e -> e.startsWith("histogram_quantile(0.5,"))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.95,"))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.99,"));
    }
}
