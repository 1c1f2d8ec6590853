package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's security over real HTTP, without Kafka: sign-in, cookie, CSRF, origin, throttling, headers; its
 * base path; and what it believes of a reverse proxy's {@code X-Forwarded-*} headers, and from whom.
 */
class AdminConsoleTest {
    private static final String PASSWORD = "correct horse battery staple";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<String> changes = new ArrayList<>();
    private HttpServer server;
    private HttpClient http;
    private String base;

    @BeforeEach
    void start() throws Exception {
        start(ConsoleSettings.DEFAULT_BASE_PATH, TrustedProxies.none());
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** (Re)starts the console at {@code basePath}, believing the forwarded headers of {@code proxies}. */
    private void start(String basePath, TrustedProxies proxies) throws Exception {
        if (server != null) {
            server.stop(0);
        }
        ConsoleSettings settings = new ConsoleSettings(PASSWORD, Duration.ofMinutes(30), new Properties(),
                TopicNames.defaults(), clock, null, null, null, basePath, proxies);
        AdminConsole console = new AdminConsole(settings, new Sessions(clock, Duration.ofMinutes(30),
                Duration.ofHours(8)), LoginThrottle.standard(clock), new AuditLog(clock),
                List.of(routes -> routes.post("/api/change", call -> {
                    changes.add(call.who());
                    call.json(200, Map.of("done", true));
                })), List.of());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(console.contextPath(), console);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldSendAStrangerToTheSignInPage() throws Exception {
        HttpResponse<String> page = get("/console/", null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).contains("/console/login");
        assertThat(get("/console/login", null).body()).contains("Sign in");
        assertThat(get("/console/api/schema", null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldSetAnHttpOnlySameSiteStrictCookieOnTheRightPassword() throws Exception {
        HttpResponse<String> wrong = login("guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = login(PASSWORD);
        assertThat(right.statusCode()).isEqualTo(204);
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(AdminConsole.COOKIE + "=").contains("HttpOnly", "SameSite=Strict",
                "Path=/console", "Max-Age=28800");
        String session = sessionCookie(right);
        assertThat(get("/console/", session).statusCode()).isEqualTo(200);
        assertThat(get("/console/api/schema", session).body()).contains("smtpHost");
    }

    @Test
    void shouldRefuseAChangeWithoutTheCsrfTokenOrFromAnotherOrigin() throws Exception {
        String session = sessionCookie(login(PASSWORD));
        String csrf = get("/console/api/session", session).body().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");

        assertThat(post("/console/api/change", session, null, null).statusCode()).isEqualTo(403);
        assertThat(post("/console/api/change", session, "wrong", null).statusCode()).isEqualTo(403);
        assertThat(post("/console/api/change", session, csrf, "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(changes).isEmpty();

        HttpResponse<String> ok = post("/console/api/change", session, csrf, base);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(changes).singleElement().asString().startsWith("admin@127.0.0.1#");
    }

    @Test
    void shouldEndTheSessionOnSignOutAndAfterIdleTime() throws Exception {
        String session = sessionCookie(login(PASSWORD));
        clock.advance(Duration.ofMinutes(31));
        assertThat(get("/console/api/schema", session).statusCode()).isEqualTo(401);

        session = sessionCookie(login(PASSWORD));
        String csrf = get("/console/api/session", session).body().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
        assertThat(post("/console/logout", session, csrf, null).statusCode()).isEqualTo(204);
        assertThat(get("/console/api/schema", session).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRateLimitWrongPasswordsEvenWhenTheRightOneFollows() throws Exception {
        for (int i = 0; i < 6; i++) {
            login("guess " + i);
        }
        HttpResponse<String> locked = login(PASSWORD);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(login(PASSWORD).statusCode()).isEqualTo(204);
    }

    @Test
    void shouldServeAssetsWithSecurityHeadersAndNothingOutsideTheConsoleFolder() throws Exception {
        HttpResponse<String> css = get("/console/assets/console.css", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
        assertThat(css.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                assertThat(v).contains("default-src 'none'", "frame-ancestors 'none'"));
        assertThat(css.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(get("/console/assets/..%2Flogback.xml", null).statusCode()).isEqualTo(404);
        assertThat(get("/console/assets/../logback.xml", null).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldServeEveryPathUnderAConfiguredBasePath() throws Exception {
        start("/ops/mail/", TrustedProxies.none());
        assertThat(get("/ops/mail", null).headers().firstValue("Location")).contains("/ops/mail/");
        assertThat(get("/ops/mail/", null).headers().firstValue("Location")).contains("/ops/mail/login");
        String page = get("/ops/mail/login", null).body();
        assertThat(page).contains("<meta name=\"console-base\" content=\"/ops/mail/\">",
                "src=\"/ops/mail/assets/login.js\"", "href=\"/ops/mail/assets/console.css\"")
                .doesNotContain(AdminConsole.BASE_PLACEHOLDER).doesNotContain("/console/");
        assertThat(get("/ops/mail/assets/api.js", null).statusCode()).isEqualTo(200);
        assertThat(get("/console/", null).statusCode()).isEqualTo(404);
        assertThat(get("/ops/mailbox", null).statusCode()).isEqualTo(404);

        HttpResponse<String> right = login(PASSWORD, "/ops/mail/", Map.of());
        assertThat(right.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).contains("; Path=/ops/mail;"));
        String session = sessionCookie(right);
        assertThat(get("/ops/mail/", session).body()).contains("src=\"/ops/mail/assets/app.js\"");
        assertThat(get("/ops/mail/api/session", session).body()).contains("\"base\":\"/ops/mail/\"");
        assertThat(get("/ops/mail/login", session).headers().firstValue("Location")).contains("/ops/mail/");
    }

    @Test
    void shouldThrottleAndAuditTheClientATrustedProxyNames() throws Exception {
        start(ConsoleSettings.DEFAULT_BASE_PATH, TrustedProxies.parse("10.0.0.0/8, 127.0.0.1"));
        for (int i = 0; i < 6; i++) {
            login("guess " + i, "/console/", Map.of("X-Forwarded-For", "203.0.113.7"));
        }
        assertThat(login(PASSWORD, "/console/", Map.of("X-Forwarded-For", "203.0.113.7")).statusCode())
                .as("the guesser is locked out").isEqualTo(429);

        // Another client behind the same proxy, through a chain of two trusted proxies, is not.
        HttpResponse<String> other = login(PASSWORD, "/console/",
                Map.of("X-Forwarded-For", "203.0.113.7, 198.51.100.9, 10.1.2.3"));
        assertThat(other.statusCode()).isEqualTo(204);
        String session = sessionCookie(other);
        String csrf = get("/console/api/session", session).body().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
        assertThat(post("/console/api/change", session, csrf, null, Map.of("X-Forwarded-For", "198.51.100.9"))
                .statusCode()).isEqualTo(200);
        assertThat(changes).singleElement().asString().startsWith("admin@198.51.100.9#");
    }

    @Test
    void shouldIgnoreASpoofedForwardedForFromAnUntrustedPeer() throws Exception {
        start(ConsoleSettings.DEFAULT_BASE_PATH, TrustedProxies.parse("10.0.0.0/8"));
        for (int i = 0; i < 6; i++) {
            login("guess " + i, "/console/", Map.of("X-Forwarded-For", "203.0.113." + i));
        }
        HttpResponse<String> locked = login(PASSWORD, "/console/", Map.of("X-Forwarded-For", "198.51.100.9"));
        assertThat(locked.statusCode()).as("a new X-Forwarded-For each time doesn't dodge the throttle")
                .isEqualTo(429);
        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> in = login(PASSWORD, "/console/", Map.of("X-Forwarded-For", "198.51.100.9",
                "X-Forwarded-Proto", "https"));
        assertThat(in.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).doesNotContain("Secure"));
        String session = sessionCookie(in);
        String csrf = get("/console/api/session", session).body().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
        assertThat(post("/console/api/change", session, csrf, "https://mail.example.com",
                Map.of("X-Forwarded-Host", "mail.example.com", "X-Forwarded-Proto", "https")).statusCode())
                .as("an untrusted peer's X-Forwarded-Host is no origin").isEqualTo(403);
        assertThat(post("/console/api/change", session, csrf, base, Map.of()).statusCode()).isEqualTo(200);
        assertThat(changes).singleElement().asString().startsWith("admin@127.0.0.1#");
    }

    @Test
    void shouldCheckTheOriginAgainstTheForwardedHostAndSchemeAndSetASecureCookieBehindTls() throws Exception {
        start(ConsoleSettings.DEFAULT_BASE_PATH, TrustedProxies.parse("::1, 127.0.0.0/8"));
        Map<String, String> tls = Map.of("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Host", "mail.example.com",
                "X-Forwarded-Proto", "https");
        HttpResponse<String> in = login(PASSWORD, "/console/", tls);
        assertThat(in.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).endsWith("; Secure"));
        String session = sessionCookie(in);
        String csrf = get("/console/api/session", session).body().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");

        assertThat(post("/console/api/change", session, csrf, base, tls).statusCode())
                .as("the mailer's own address is not the origin the browser saw").isEqualTo(403);
        assertThat(post("/console/api/change", session, csrf, "http://mail.example.com", tls).statusCode())
                .as("another scheme is another origin").isEqualTo(403);
        assertThat(post("/console/api/change", session, csrf, "https://evil.example", tls).statusCode()).isEqualTo(403);
        assertThat(post("/console/api/change", session, csrf, "https://mail.example.com", tls).statusCode())
                .isEqualTo(200);
        assertThat(post("/console/api/change", session, csrf, "https://mail.example.com:443", tls).statusCode())
                .as("the default port is the same origin").isEqualTo(200);
        assertThat(changes).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("admin@203.0.113.7#"));
    }

    private HttpResponse<String> login(String password) throws Exception {
        return login(password, "/console/", Map.of());
    }

    private HttpResponse<String> login(String password, String basePath, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + basePath + "login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}"));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<String> login) {
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String csrf, String origin) throws Exception {
        return post(path, cookie, csrf, origin, Map.of());
    }

    private HttpResponse<String> post(String path, String cookie, String csrf, String origin,
                                      Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Cookie", cookie);
        if (csrf != null) {
            b.header(AdminConsole.CSRF_HEADER, csrf);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
