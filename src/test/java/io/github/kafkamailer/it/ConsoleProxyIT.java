package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import io.github.kafkamailer.testing.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.LoggerFactory;

/**
 * The admin console behind a TLS reverse proxy, in headless Chromium: the mailer serves it at
 * {@code mailer.console.base.path=/ops/mail/} and trusts the proxy's address ({@code mailer.http.trusted.proxies});
 * a proxy written here ({@link ForwardingProxy}) mounts it under the same sub-path on its own HTTPS port (the test
 * certificate), rewrites {@code Host} and adds {@code X-Forwarded-For}, {@code -Host} and {@code -Proto}. One proxy per client: the admin's
 * browser comes through one, a password guesser through another. Set-up as {@link ConsoleBrowserIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleProxyIT {
    private static final String BASE = "/ops/mail/";
    private static final String PASSWORD = "proxy-test-password";
    private static final String ADMIN = "203.0.113.10";
    private static final String GUESSER = "198.51.100.66";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .sslContext(TestTls.sslContext(TestTls.trustManager())).build();

    private static Path stateDir;
    private static EmbeddedSmtpServer smtp;
    private static MailerHarness mailer;
    private static ForwardingProxy adminProxy;
    private static ForwardingProxy guesserProxy;
    private static ChromeDriver browser;
    private static WebDriverWait waiting;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(ConsoleBrowserIT.CHROMIUM) && Files.isExecutable(ConsoleBrowserIT.CHROMEDRIVER))
                .as("the console's browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)")
                .isTrue();
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        stateDir = Files.createTempDirectory("console-proxy-it");
        smtp = EmbeddedSmtpServer.start(0);
        mailer = new MailerHarness(stateDir).withProperty(ProcessSettings.CONSOLE_PASSWORD, PASSWORD)
                .withProperty(ProcessSettings.CONSOLE_BASE_PATH, BASE)
                .withProperty(ProcessSettings.HTTP_TRUSTED_PROXIES, "127.0.0.1, ::1").start();
        String backend = "http://127.0.0.1:" + mailer.app().httpPort();
        adminProxy = new ForwardingProxy(backend, BASE, ADMIN, TestTls.serverContext());
        guesserProxy = new ForwardingProxy(backend, BASE, GUESSER, TestTls.serverContext());
        // The test certificate is no public one: this browser takes it as the proxy's.
        browser = ConsoleBrowserIT.chromium(stateDir.resolve("chromium-profile"), "--ignore-certificate-errors");
        waiting = new WebDriverWait(browser, WAIT);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable c : new AutoCloseable[] {adminProxy, guesserProxy, mailer, smtp}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    @Order(1)
    void shouldNotLockTheAdminOutWhenAnotherClientGuessesBehindTheSameProxy() throws Exception {
        // Wrong guesses until the guesser is locked out for 6 s or more (1 s, 2 s, 4 s, 8 s after 5 free ones).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<Void> r = login(guesserProxy, "a guess");
            return r.statusCode() == 429
                    && Long.parseLong(r.headers().firstValue("Retry-After").orElse("0")) >= 6;
        });
        assertThat(login(adminProxy, PASSWORD).statusCode()).as("another client behind the same proxy signs in")
                .isEqualTo(204);
        assertThat(login(guesserProxy, PASSWORD).statusCode()).as("the guesser is still locked out").isEqualTo(429);

        browser.get(adminProxy.url(BASE));
        waiting.until(ExpectedConditions.urlToBe(adminProxy.url(BASE + "login")));
        browser.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("config-form")));
        assertThat(browser.getCurrentUrl()).startsWith(adminProxy.url(BASE));
        assertThat(browser.findElement(By.id("who")).getText()).contains("admin");
        Cookie cookie = browser.manage().getCookieNamed("mailer_console");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).as("the proxy said the browser came over HTTPS").isTrue();
        assertThat(cookie.getPath()).isEqualTo("/ops/mail");
        ConsoleBrowserIT.screenshot(browser, "proxy-config");
    }

    @Test
    @Order(2)
    void shouldSaveAConfigThroughTheProxyThatRewritesHost() {
        browser.get(adminProxy.url(BASE + "#/config/acme"));
        browser.navigate().refresh();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-smtpHost")));
        WebElement enabled = browser.findElement(By.id("f-enabled"));
        if (!enabled.isSelected()) {
            enabled.sendKeys(Keys.SPACE);
        }
        type("smtpHost", "127.0.0.1");
        type("smtpPort", Integer.toString(smtp.port()));
        type("postmaster", "donotreply@acme.example");
        type("campaignIntervalSeconds", "1");
        browser.findElement(By.id("save-button")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-message"), "Applied by the mailer"));

        mailer.publishEmail("proxy-1", "{\"id\":\"proxy-1\",\"tenant\":\"acme\",\"from\":\"alice@acme.example\","
                + "\"to\":[\"bob@example.com\"],\"subject\":\"Configured behind a proxy\",\"text\":\"hi\"}");
        await().atMost(WAIT).until(() -> smtp.received().stream().anyMatch(m -> {
            try {
                return "Configured behind a proxy".equals(m.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }));
        assertThat(adminProxy.forwarded()).contains("POST /ops/mail/login", "POST /ops/mail/api/config")
                .allMatch(r -> r.matches("(GET|POST|HEAD) /ops/mail(/.*)?"));
        assertThat(adminProxy.strays()).as("every path the browser asked for is under the sub-path")
                .allMatch(r -> r.endsWith("/favicon.ico"));
    }

    @Test
    @Order(3)
    void shouldNameTheForwardedClientsInTheAuditLog() {
        List<String> audit = LOGS.list.stream().filter(e -> e.getLoggerName().endsWith(".console.audit"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(audit).anyMatch(l -> l.contains("who=anonymous@" + GUESSER + " ") && l.contains("action=login.failed"));
        assertThat(audit).anyMatch(l -> l.contains("who=admin@" + ADMIN + "#") && l.endsWith("action=login"));
        assertThat(audit).anyMatch(l -> l.contains("who=admin@" + ADMIN + "#") && l.contains("action=config.save")
                && l.contains("tenant=acme"));
        assertThat(audit).noneMatch(l -> l.contains("@127.0.0.1"));
        assertThat(LOGS.list).map(ILoggingEvent::getFormattedMessage).noneMatch(l -> l.contains(PASSWORD));
    }

    @Test
    @Order(4)
    void shouldSignOutToTheSignInPageUnderTheSubPath() {
        browser.get(adminProxy.url(BASE + "#/status"));
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("sign-out"))).click();
        waiting.until(ExpectedConditions.urlToBe(adminProxy.url(BASE + "login")));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("password")));
        assertThat(LOGS.list).map(ILoggingEvent::getFormattedMessage)
                .anyMatch(l -> l.contains("who=admin@" + ADMIN + "#") && l.endsWith("action=logout"));
    }

    /** A sign-in as a browser at the proxy's origin sends it. */
    private static HttpResponse<Void> login(ForwardingProxy proxy, String password) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(proxy.url(BASE + "login")))
                .header("Content-Type", "application/json")
                .header("Origin", proxy.origin())
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static void type(String field, String value) {
        WebElement input = browser.findElement(By.id("f-" + field));
        input.clear();
        input.sendKeys(value);
    }
}
