package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.MailerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml can't be run here (no Docker engine), so its wiring is checked by reading it: services,
 * mounted files, and that every address one service uses for another is one that service offers.
 */
class ComposeFileTest {
    private static JsonNode compose() throws IOException {
        return AlertRulesTest.YAML.readTree(Path.of("docker-compose.yml").toFile());
    }

    private static JsonNode service(String name) throws IOException {
        return compose().path("services").path(name);
    }

    private static Properties mailerProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("config", "mailer.compose.properties"))) {
            p.load(in);
        }
        return p;
    }

    @Test
    void shouldDeclareTheStack() throws IOException {
        List<String> names = new ArrayList<>();
        compose().path("services").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "mailpit", "mailer", "mailer-config", "prometheus", "grafana");
        assertThat(service("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(service("mailer").path("build").asText()).isEqualTo(".");
        assertThat(Path.of("Dockerfile")).isRegularFile();
        assertThat(service("mailer-config").path("restart").asText()).isEqualTo("no");
        // The mailer exits with status 1 for its supervisor to restart it (Streams in ERROR, OutOfMemoryError).
        assertThat(service("mailer").path("restart").asText()).isEqualTo("unless-stopped");
    }

    @Test
    void shouldPinEveryImage() throws IOException {
        List<String> floating = new ArrayList<>();
        compose().path("services").fields().forEachRemaining(e -> {
            String image = e.getValue().path("image").asText("");
            if (e.getValue().has("image") && !image.matches("[a-z0-9./_-]+:[A-Za-z0-9._-]*\\d[A-Za-z0-9._-]*")) {
                floating.add(e.getKey() + ": " + image);
            }
        });
        assertThat(floating).isEmpty();
    }

    @Test
    void shouldKeepThePendingEmailsInANamedVolumeWhereTheImageKeepsState() throws IOException {
        String stateDir = mailerProperties().getProperty("state.dir");
        List<String> cmd = Dockerfile.runtime().last("CMD").execForm();
        assertThat(cmd.get(cmd.indexOf("--state-dir") + 1)).isEqualTo(stateDir);
        assertThat(texts(service("mailer").path("volumes"))).contains("mailer-state:" + stateDir);
        assertThat(compose().path("volumes").has("mailer-state")).isTrue();
    }

    @Test
    void shouldMountOnlyFilesThatExist() throws IOException {
        List<String> missing = new ArrayList<>();
        for (JsonNode service : compose().path("services")) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./") && !Files.exists(Path.of(source))) {
                    missing.add(volume.asText());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void shouldPointTheMailerAtKafkasAdvertisedListener() throws IOException {
        String advertised = service("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
        String bootstrap = service("mailer").path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText();
        assertThat(advertised).contains("PLAINTEXT://" + bootstrap);
        assertThat(String.join(" ", texts(service("mailer-config").path("command"))))
                .contains("--bootstrap-servers " + bootstrap);
    }

    @Test
    void shouldPublishADefaultConfigThatPointsAtMailpit() throws IOException {
        MailerConfig config = ConfigJson.parse(Files.readAllBytes(Path.of("config", "compose-default-config.json")));
        assertThat(config.smtpHost()).isEqualTo("mailpit");
        assertThat(texts(service("mailpit").path("ports"))).anyMatch(p -> p.endsWith(":" + config.smtpPort()));
        assertThat(config.enabled()).isTrue();
        String mounted = texts(service("mailer-config").path("volumes")).get(0).split(":")[1];
        assertThat(texts(service("mailer-config").path("command"))).contains(mounted);
    }

    /** The process settings the mailer's container ends up with: the image's ENV, compose's, the mounted file. */
    private static ProcessSettings mailerContainerSettings() throws IOException {
        Map<String, String> env = new HashMap<>(Dockerfile.runtime().env());
        service("mailer").path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return ProcessSettings.load(Path.of("config", "mailer.compose.properties"), true, Map.of(), env);
    }

    @Test
    void shouldLetPrometheusScrapeTheMailerAndGrafanaFindTheDashboard() throws IOException {
        ProcessSettings settings = mailerContainerSettings();
        String port = String.valueOf(settings.httpPort());
        JsonNode prometheus = AlertRulesTest.YAML.readTree(Path.of("config", "prometheus.yml").toFile());
        String target = prometheus.path("scrape_configs").get(0).path("static_configs").get(0).path("targets").get(0).asText();
        assertThat(target).isEqualTo("mailer:" + port);
        // Reachable from Prometheus's container, not only from the mailer's own loopback.
        assertThat(settings.httpBind()).isEqualTo("0.0.0.0");
        assertThat(settings.get("mailer.log.format", "text")).isIn("text", "json");
        assertThat(texts(service("mailer").path("ports"))).contains(port + ":" + port);
        assertThat(texts(prometheus.path("rule_files"))).containsExactly("alerts.yml");
        assertThat(texts(service("prometheus").path("volumes"))).anyMatch(v -> v.contains("alerts.yml:/etc/prometheus/alerts.yml"));

        JsonNode provider = AlertRulesTest.YAML.readTree(
                Path.of("config", "grafana", "provisioning", "dashboards", "mailer.yml").toFile());
        String dashboardsPath = provider.path("providers").get(0).path("options").path("path").asText();
        assertThat(texts(service("grafana").path("volumes")))
                .anyMatch(v -> v.startsWith("./config/grafana/dashboards:" + dashboardsPath));
        JsonNode datasource = AlertRulesTest.YAML.readTree(
                Path.of("config", "grafana", "provisioning", "datasources", "prometheus.yml").toFile());
        assertThat(datasource.path("datasources").get(0).path("uid").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("datasources").get(0).path("url").asText()).isEqualTo("http://prometheus:9090");
    }

    @Test
    void shouldPublishTheConfigOnlyOnceTheMailerMadeItsTopics() throws IOException {
        // Auto-creation would give mail.config the broker's defaults (not compacted) if config set came first.
        assertThat(service("kafka").path("environment").path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText())
                .isEqualTo("false");
        assertThat(service("mailer-config").path("depends_on").path("mailer").path("condition").asText())
                .isEqualTo("service_healthy");
        String check = String.join(" ", texts(service("mailer").path("healthcheck").path("test")));
        assertThat(check).contains("/dev/tcp/127.0.0.1/" + mailerContainerSettings().httpPort())
                .contains("GET /health ");
    }

    @Test
    void shouldBuildAnImageFromFilesThatExistAndReadTheMountedProcessConfig() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        List<String> missing = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("COPY") && !words[1].startsWith("--from=")) {
                for (int i = 1; i < words.length - 1; i++) {
                    if (!Files.exists(Path.of(words[i]))) {
                        missing.add(line);
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
        String mountTarget = texts(service("mailer").path("volumes")).stream()
                .filter(v -> v.startsWith("./config/mailer.compose.properties:")).findFirst().orElseThrow()
                .split(":")[1];
        assertThat(lines).anyMatch(l -> l.startsWith("CMD ") && l.contains("\"--config\", \"" + mountTarget + "\""));
        assertThat(lines).contains("EXPOSE " + mailerContainerSettings().httpPort());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
