package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.admin.TemplateAdmin;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The templates page's endpoints over real HTTP, signed in, with a Kafka nobody listens on: the preview is rendered
 * by the server (HTML-escaping in html alone, nothing published); a template or sample data that doesn't work is
 * refused with its part and line before anything is published; nothing is audited for a refusal.
 */
class TemplateEndpointsTest {
    private static final String PASSWORD = "templates endpoint password";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private HttpServer server;
    private HttpClient http;
    private String base;
    private String cookie;
    private String csrf;

    @BeforeEach
    void start() throws Exception {
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", "127.0.0.1:1");
        ConsoleSettings settings = new ConsoleSettings(PASSWORD, Duration.ofMinutes(30), new Properties(),
                TopicNames.defaults(), clock, null, null, null, ConsoleSettings.DEFAULT_BASE_PATH, TrustedProxies.none());
        AuditLog log = new AuditLog(clock);
        AdminConsole console = new AdminConsole(settings, new Sessions(clock, Duration.ofMinutes(30),
                Duration.ofHours(8)), LoginThrottle.standard(clock), log, List.of(new TemplateEndpoints(
                new TemplateAdmin(new KafkaAccess(kafka, Duration.ofSeconds(1)), TopicNames.defaults()), log, clock)),
                List.of());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(console.contextPath(), console);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/console/";
        http = HttpClient.newHttpClient();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        csrf = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/session")).header("Cookie", cookie)
                .build(), HttpResponse.BodyHandlers.ofString()).body()).get("csrf").asText();
        // What the test does from here on: the sign-in's own line is not its business.
        audit.start();
        auditLogger.addAppender(audit);
    }

    @AfterEach
    void stop() {
        auditLogger.detachAppender(audit);
        server.stop(0);
    }

    @Test
    void shouldRenderThePreviewOnTheServerWithHtmlEscapedInTheHtmlAlone() throws Exception {
        HttpResponse<String> r = post("api/templates/preview", editor("Invoice {{number}}",
                "Dear {{name}},\n{{#lines}}- {{item}}\n{{/lines}}", "<p>Dear {{name}}</p>{{{raw}}}",
                "{\"number\": 7, \"name\": \"<Ann & Bob>\", \"raw\": \"<b>ok</b>\","
                        + " \"lines\": [{\"item\": \"tea\"}, {\"item\": \"milk\"}]}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("subject").asText()).isEqualTo("Invoice 7");
        assertThat(body.get("text").asText()).isEqualTo("Dear <Ann & Bob>,\n- tea\n- milk\n");
        assertThat(body.get("html").asText()).isEqualTo("<p>Dear &lt;Ann &amp; Bob&gt;</p><b>ok</b>");
        assertThat(audit.list).isEmpty();
    }

    @Test
    void shouldServeThePreviewsHtmlToItsFrameSandboxedUnderAPolicyOfItsOwn() throws Exception {
        HttpResponse<String> r = post("api/templates/preview", editor("Hi", null,
                "<p style=\"color: red\">Hi {{name}}</p><img src=\"https://tracker.example/p.gif\">", "{\"name\": \"Ann\"}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String frame = JSON.readTree(r.body()).get("frame").asText();
        assertThat(frame).startsWith("api/templates/frame?id=");

        HttpResponse<String> page = get(frame, cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<p style=\"color: red\">Hi Ann</p><img src=\"https://tracker.example/p.gif\">");
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .startsWith("sandbox;").contains("default-src 'none'", "style-src 'unsafe-inline'", "img-src data:",
                        "frame-ancestors 'self'").doesNotContain("script-src"));
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("SAMEORIGIN");
        // The console's own pages may frame it, and nothing else may frame them.
        assertThat(get("api/templates?tenant=acme", cookie).headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("frame-src 'self'", "frame-ancestors 'none'"));

        assertThat(get(frame + "x", cookie).statusCode()).isEqualTo(404);
        assertThat(get(frame, null).statusCode()).isEqualTo(401);
        clock.advance(PreviewFrames.LIFETIME);
        assertThat(get(frame, cookie).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseATemplateThatDoesNotCompileWithItsPartAndLine() throws Exception {
        Map<String, Object> bad = editor("Hi", "fine", "<p>\n<ul>\n{{#items}}<li>{{.}}</li>\n</ul>", "{}");
        for (String endpoint : List.of("api/templates/preview", "api/templates/save", "api/templates/test")) {
            Map<String, Object> b = new LinkedHashMap<>(bad);
            b.put("to", "qa@example.com");
            HttpResponse<String> r = post(endpoint, b);
            assertThat(r.statusCode()).as(endpoint + ": " + r.body()).isEqualTo(400);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("part").asText()).isEqualTo("html");
            assertThat(body.get("line").asInt()).as(r.body()).isBetween(3, 4);
            assertThat(body.get("error").asText()).startsWith("html, line ");
        }
        // Refused before Kafka was asked: nothing published, nothing audited.
        assertThat(audit.list).isEmpty();
    }

    @Test
    void shouldRefuseSampleDataThatIsNotAJsonObjectWithItsLine() throws Exception {
        HttpResponse<String> r = post("api/templates/preview", editor("Hi {{x}}", "x", null, "{\"x\": 1,\n\"y\": }"));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("part").asText()).isEqualTo("data");
        assertThat(body.get("line").asInt()).isEqualTo(2);
        assertThat(body.get("error").asText()).startsWith("the sample data is not valid JSON at line 2");
    }

    @Test
    void shouldRefuseASubjectThatRendersWithALineBreakAndABrokenRecordRule() throws Exception {
        HttpResponse<String> r = post("api/templates/preview", editor("Hi {{x}}", "x", null,
                "{\"x\": \"a\\r\\nBcc: eve@example.com\"}"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("subject");

        Map<String, Object> noName = editor("Hi", "x", null, "{}");
        noName.put("name", "no/slashes");
        r = post("api/templates/save", noName);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("name: must match");

        Map<String, Object> noTo = editor("Hi", "x", null, "{}");
        r = post("api/templates/test", noTo);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("to:");
        assertThat(audit.list).isEmpty();
    }

    @Test
    void shouldNeedTheCsrfTokenToSaveDeleteOrSendATest() throws Exception {
        for (String endpoint : List.of("api/templates/save", "api/templates/delete", "api/templates/test")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + endpoint))
                    .header("Cookie", cookie).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(editor("Hi", "x", null, "{}"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(endpoint).isEqualTo(403);
        }
        assertThat(audit.list).isEmpty();
    }

    private static Map<String, Object> editor(String subject, String text, String html, String data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", "acme");
        m.put("name", "invoice");
        m.put("subject", subject);
        m.put("text", text);
        m.put("html", html);
        m.put("data", data);
        return m;
    }

    private HttpResponse<String> get(String path, String withCookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (withCookie != null) {
            b.header("Cookie", withCookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                .header(AdminConsole.CSRF_HEADER, csrf).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
