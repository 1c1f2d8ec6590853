package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.ConfigEdit;
import io.github.kafkamailer.admin.ConfigVersion;
import io.github.kafkamailer.it.MailerHarness;
import io.github.kafkamailer.it.SharedBroker;
import io.github.kafkamailer.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's Save over real HTTP and a real broker: a form names the version it was read at, and a Save from
 * a form another change (a second admin's Save, the CLI) has made stale is refused with 409 and publishes
 * nothing.
 */
class ConfigSaveConflictIT {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    private MailerHarness harness;
    private ConfigAdmin configs;
    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    @BeforeEach
    void start() throws Exception {
        harness = new MailerHarness(dir.resolve("state"));
        harness.createTopics();
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", SharedBroker.bootstrapServers());
        Clock clock = Clock.systemUTC();
        configs = new ConfigAdmin(kafka, harness.topics, Duration.ofSeconds(15));
        ConsoleSettings settings = new ConsoleSettings(PASSWORD, Duration.ofMinutes(30), kafka, harness.topics, clock,
                null, null, null);
        AuditLog audit = new AuditLog(clock);
        AdminConsole console = new AdminConsole(settings, new Sessions(clock, Duration.ofMinutes(30),
                Duration.ofHours(8)), LoginThrottle.standard(clock), audit,
                List.of(new ConfigEndpoints(configs, new ConfigOutcomes(clock), null, null, audit)), List.of());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(console.contextPath(), console);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/console/";
    }

    @AfterEach
    void stop() {
        server.stop(0);
        harness.close();
    }

    @Test
    void shouldRefuseAStaleSaveWith409AndPublishNothing() throws Exception {
        Admin alice = new Admin();
        Admin bob = new Admin();

        JsonNode empty = alice.config("acme");
        assertThat(empty.get("exists").asBoolean()).isFalse();
        assertThat(empty.get("baseVersion").asLong()).isEqualTo(ConfigAdmin.NO_VERSION);
        HttpResponse<String> created = alice.save("acme", empty.get("baseVersion").asLong(), Map.of("enabled", "true",
                "smtpHost", "smtp.acme.example", "smtpPort", "2525", "postmaster", "noreply@acme.example"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        long first = Json.tolerantReader().readTree(created.body()).get("offset").asLong();

        // Both open the page at the same version; Alice saves first.
        long aliceRead = alice.config("acme").get("baseVersion").asLong();
        long bobRead = bob.config("acme").get("baseVersion").asLong();
        assertThat(aliceRead).isEqualTo(first).isEqualTo(bobRead);
        HttpResponse<String> alices = alice.save("acme", aliceRead, Map.of("campaignIntervalSeconds", "60"));
        assertThat(alices.statusCode()).as(alices.body()).isEqualTo(200);
        long second = Json.tolerantReader().readTree(alices.body()).get("offset").asLong();

        // Bob's form still shows the interval of before: his Save would put it back. Refused.
        HttpResponse<String> bobs = bob.save("acme", bobRead, Map.of("campaignIntervalSeconds", "1",
                "smtpHost", "smtp.bob.example"));
        assertThat(bobs.statusCode()).isEqualTo(409);
        JsonNode refusal = Json.tolerantReader().readTree(bobs.body());
        assertThat(refusal.get("error").asText()).contains("version " + second, "campaignIntervalSeconds",
                "Nothing was published", "Reload the page");
        assertThat(refusal.get("currentVersion").asLong()).isEqualTo(second);
        assertThat(configs.history("acme")).extracting(ConfigVersion::offset).containsExactly(first, second);
        assertThat(configs.inForce("acme").orElseThrow().config().smtpHost()).isEqualTo("smtp.acme.example");

        // A form that names no version is refused too: it can only be an old page or a blind overwrite.
        HttpResponse<String> blind = bob.post("api/config", Map.of("tenant", "acme",
                "values", Map.of("smtpHost", "smtp.bob.example")));
        assertThat(blind.statusCode()).isEqualTo(400);
        assertThat(blind.body()).contains("reload the page");

        // A change from the CLI (the admin library) makes a form stale just the same.
        long reloaded = bob.config("acme").get("baseVersion").asLong();
        assertThat(reloaded).isEqualTo(second);
        ConfigAdmin.Current cli = configs.current("acme");
        configs.publish("acme", ConfigEdit.apply(cli.config(), Map.of("maxEmailsPerMinute", "100"), Set.of()),
                cli.version());
        assertThat(bob.save("acme", reloaded, Map.of("smtpHost", "smtp.bob.example")).statusCode()).isEqualTo(409);
        assertThat(configs.history("acme")).hasSize(3);

        // Read again, his change goes through and keeps the others'.
        HttpResponse<String> ok = bob.save("acme", bob.config("acme").get("baseVersion").asLong(),
                Map.of("smtpHost", "smtp.bob.example"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(configs.inForce("acme").orElseThrow().config()).satisfies(c -> {
            assertThat(c.smtpHost()).isEqualTo("smtp.bob.example");
            assertThat(c.campaignIntervalSeconds()).isEqualTo(60);
            assertThat(c.maxEmailsPerMinute()).isEqualTo(100);
        });
    }

    /** One signed-in admin, with a session of their own. */
    private final class Admin {
        private final String cookie;
        private final String csrf;

        Admin() throws Exception {
            HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(base + "login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(in.statusCode()).isEqualTo(204);
            cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            csrf = Json.tolerantReader().readTree(get("api/session").body()).get("csrf").asText();
        }

        JsonNode config(String tenant) throws Exception {
            HttpResponse<String> r = get("api/config?tenant=" + tenant);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return Json.tolerantReader().readTree(r.body());
        }

        HttpResponse<String> save(String tenant, long baseVersion, Map<String, String> values) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", tenant);
            body.put("baseVersion", baseVersion);
            body.put("values", values);
            return post("api/config", body);
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, ?> body) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                    .header(AdminConsole.CSRF_HEADER, csrf).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.writer().writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
