package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.ConfigEdit;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.openqa.selenium.By;
import org.slf4j.LoggerFactory;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in a real browser (headless Chromium from Debian, through its chromedriver) against a
 * running mailer on the shared broker and an SMTP server that keeps what it receives. The tests follow an
 * admin's first session, in order; each saves a screenshot under {@code target/console-screenshots/}.
 * Without Chromium the tests fail, saying what to install: {@code ./run-tests} installs it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String PASSWORD = "browser-test-password";
    private static final String SMTP_SECRET = "Sm7p-s3cret-never-shown";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Path stateDir;
    private static EmbeddedSmtpServer smtp;
    private static MailerHarness mailer;
    private static ChromeDriver browser;
    private static WebDriverWait waiting;
    private static String console;
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the console's browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; ./run-tests installs them)")
                .isTrue();
        Files.createDirectories(SCREENSHOTS);
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        stateDir = Files.createTempDirectory("console-it");
        smtp = EmbeddedSmtpServer.start(0);
        mailer = new MailerHarness(stateDir).withProperty(ProcessSettings.CONSOLE_PASSWORD, PASSWORD).start();
        console = "http://127.0.0.1:" + mailer.app().httpPort() + "/console/";
        browser = chromium(stateDir.resolve("chromium-profile"));
        waiting = new WebDriverWait(browser, WAIT);
    }

    static ChromeDriver chromium(Path profile, String... extraArguments) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(profile), "--window-size=1280,900", "--lang=en-GB");
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        if (browser != null) {
            browser.quit();
        }
        if (mailer != null) {
            mailer.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    @Order(1)
    void shouldRefuseAWrongPasswordThenSignIn() throws Exception {
        browser.get(console);
        waiting.until(ExpectedConditions.urlContains("/console/login"));
        WebElement password = browser.findElement(By.id("password"));
        password.sendKeys("not the password", Keys.ENTER);
        WebElement error = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(error.getText()).isEqualTo("Wrong password.");
        screenshot("login");

        password.clear();
        password.sendKeys(PASSWORD, Keys.ENTER);
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("config-form")));
        assertThat(browser.findElement(By.id("who")).getText()).contains("admin");
        assertThat(browser.manage().getCookieNamed("mailer_console").isHttpOnly()).isTrue();
    }

    @Test
    @Order(2)
    void shouldSaveAValidConfigAndSeeTheMailerApplyIt() throws Exception {
        openConfig("acme");
        assertThat(text("version-notice")).contains("no configuration yet");
        check("enabled", true);
        type("smtpHost", "127.0.0.1");
        type("smtpPort", Integer.toString(smtp.port()));
        type("smtpUser", "mailer");
        type("smtpPassword", SMTP_SECRET);
        type("postmaster", "donotreply@acme.example");
        type("campaignIntervalSeconds", "1");
        browser.findElement(By.id("save-button")).click();

        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-message"), "Applied by the mailer"));
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("version-notice"), "In force since"));
        assertThat(text("version-notice")).contains("smtpHost");
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        screenshot("config");

        mailer.publishEmail("acme-1", "{\"id\":\"acme-1\",\"tenant\":\"acme\",\"from\":\"alice@acme.example\","
                + "\"to\":[\"bob@example.com\"],\"subject\":\"Configured in the console\",\"text\":\"hi\"}");
        await().atMost(WAIT).until(() -> subjects().contains("Configured in the console"));
    }

    @Test
    @Order(3)
    void shouldNeverSendASecretBackToTheBrowser() {
        openConfig("acme");
        assertThat(text("f-smtpPassword-state")).isEqualTo("Set");
        assertThat(browser.findElement(By.id("f-smtpPassword")).getAttribute("value")).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(SMTP_SECRET);
        assertThat(fetch("/console/api/config?tenant=acme")).contains("\"smtpPassword\":true").doesNotContain(SMTP_SECRET);

        // Saving again with the secret left empty keeps it: the email still authenticates as before.
        type("campaignIntervalSeconds", "2");
        browser.findElement(By.id("save-button")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-message"), "Applied by the mailer"));
        assertThat(text("f-smtpPassword-state")).isEqualTo("Set");
        assertThat(browser.getPageSource()).doesNotContain(SMTP_SECRET);
    }

    @Test
    @Order(4)
    void shouldTestTheConfigAsFilledInAndSendATestEmail() {
        openConfig("acme");
        browser.findElement(By.id("test-button")).click();
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("test-to"))).sendKeys("admin@acme.example");
        browser.findElement(By.id("run-test")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-steps"), "The configuration works."));
        assertThat(text("test-steps")).contains("CONNECT", "AUTH", "SEND");
        await().atMost(WAIT).until(() -> smtp.received().stream().anyMatch(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals("admin@acme.example");
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }));
        browser.findElement(By.cssSelector("#test-steps ~ .dialog-buttons .btn")).click();
    }

    @Test
    @Order(5)
    void shouldShowFieldErrorsFromTheBrowserAndFromTheServer() throws Exception {
        // A new tenant, with the keyboard only.
        openConfig("acme");
        browser.findElement(By.id("add-tenant")).sendKeys(Keys.ENTER);
        waiting.until(ExpectedConditions.elementToBeClickable(By.id("new-tenant"))).sendKeys("beta", Keys.ENTER);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("version-notice"),
                "Tenant \"beta\" has no configuration yet"));
        type("smtpPort", "70000");
        type("postmaster", "not-an-address");
        browser.findElement(By.id("save-button")).click();
        assertThat(waitForText("f-smtpHost-error")).isEqualTo("SMTP host is required");
        assertThat(text("f-smtpPort-error")).contains("between 1 and 65535");
        assertThat(text("f-postmaster-error")).contains("email address");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("f-smtpHost");

        // Passes the browser's first check, not the mailer's rule: the server's reason shows next to the field.
        type("smtpHost", "smtp.beta.example");
        type("smtpPort", "587");
        type("postmaster", "bob@beta..example");
        browser.findElement(By.id("save-button")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("f-postmaster-error"),
                "invalid domain"));
        assertThat(text("f-smtpHost-error")).isEmpty();
        assertThat(text("save-message")).contains("1 field needs attention");
        screenshot("config-errors");
        assertThat(fetch("/console/api/tenants")).as("nothing was published").contains("acme").doesNotContain("beta");

        // A record published around the console and rejected by the mailer: the page says so.
        mailer.publishConfig("acme", "{\"smtpHost\":\"127.0.0.1\",\"postmaster\":\"donotreply@acme.example\","
                + "\"smtpPort\":0}");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            openConfig("acme");
            assertThat(text("rejected-notice")).contains("smtpPort", "stays in force");
        });
    }

    @Test
    @Order(6)
    void shouldReplayADeadLetterAndSeeItDelivered() throws Exception {
        // A tenant whose server is down and which gives up at once: its email becomes a dead letter (EXPIRED).
        mailer.publishConfig("delta", "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"smtpPort\":" + closedPort()
                + ",\"postmaster\":\"donotreply@delta.example\",\"campaignIntervalSeconds\":1,\"maxErrorSeconds\":0}");
        mailer.publishEmail("delta-7", "{\"id\":\"delta-7\",\"tenant\":\"delta\",\"from\":\"carol@delta.example\","
                + "\"to\":[\"dave@example.com\"],\"subject\":\"Replayed from the console\",\"text\":\"again\"}");
        MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
        await().atMost(WAIT).until(() -> dlq.poll().size() == 1);
        // A newer dead letter of another tenant with the same id: the event view must still show delta's own.
        mailer.send(mailer.topics.dlq(), "delta-7",
                "{\"id\":\"delta-7\",\"tenant\":\"echo\",\"subject\":\"Echo's own email\"}");
        // The server is back.
        mailer.publishConfig("delta", "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"smtpPort\":" + smtp.port()
                + ",\"postmaster\":\"donotreply@delta.example\",\"campaignIntervalSeconds\":1}");

        browser.get(console + "#/dead-letters");
        WebElement everyTenant = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("dlq-rows")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("dlq-tenant"))).selectByValue("delta");
        waiting.until(ExpectedConditions.stalenessOf(everyTenant));
        WebElement row = waiting.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#dlq-rows tbody tr")));
        assertThat(row.getText()).contains("delta-7", "EXPIRED", "maxErrorSeconds");

        row.findElement(By.cssSelector("[data-action=view]")).click();
        assertThat(waitForText("dlq-event")).contains("\"subject\" : \"Replayed from the console\"")
                .doesNotContain("Echo's own email");
        browser.findElement(By.cssSelector("dialog button[value=close]")).click();
        screenshot("dead-letters");

        row.findElement(By.cssSelector("[data-action=replay]")).click();
        waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=confirm-replay]"))).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "1 dead letter replayed"));
        await().atMost(WAIT).until(() -> subjects().contains("Replayed from the console"));
    }

    @Test
    @Order(7)
    void shouldLookUpAStatusHistoryAndShowTheOverview() throws Exception {
        browser.get(console + "#/status");
        WebElement id = waiting.until(ExpectedConditions.elementToBeClickable(By.id("status-id")));
        id.sendKeys("delta-7", Keys.ENTER);
        // The latest status first (from the mailer's store, which reads SENT from the topic a moment after it was
        // written: looked up again until it has), then the whole history on request (from the topic).
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            browser.findElement(By.id("status-lookup")).click();
            waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("status-full-history")));
            assertThat(text("status-events")).contains("SENT", "Tenant delta").doesNotContain("DEAD_LETTERED");
        });
        browser.findElement(By.id("status-full-history")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status-events"), "DEAD_LETTERED"));
        assertThat(text("status-events")).contains("DEAD_LETTERED", "SENT", "Tenant delta");

        // Sent and dead letters of the last hour come from the topics: they show once the follower read them.
        await().atMost(WAIT).untilAsserted(() -> {
            browser.navigate().refresh();
            WebElement delta = waiting.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#overview-rows tr[data-tenant=delta]")));
            List<WebElement> cells = delta.findElements(By.tagName("td"));
            assertThat(cells.get(1).getText()).as("sent in the last hour").isEqualTo("1");
            assertThat(cells.get(5).getText()).as("dead letters in the last hour").isEqualTo("1");
        });
        browser.findElement(By.id("status-id")).sendKeys("delta-7", Keys.ENTER);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status-events"), "SENT"));
        screenshot("status");
    }

    @Test
    @Order(8)
    void shouldAuditEveryChangeAndNeverLogASecret() {
        List<String> lines = LOGS.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).noneMatch(l -> l.contains(SMTP_SECRET)).noneMatch(l -> l.contains(PASSWORD));
        List<String> audit = LOGS.list.stream().filter(e -> e.getLoggerName().endsWith(".console.audit"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(audit).anyMatch(l -> l.contains("action=login.failed") && l.contains("who=anonymous@127.0.0.1"));
        assertThat(audit).anyMatch(l -> l.endsWith("action=login") && l.contains("who=admin@127.0.0.1#"));
        assertThat(audit).anyMatch(l -> l.contains("action=config.save") && l.contains("tenant=acme")
                && l.contains("smtpPassword") && l.matches(".*at=20\\d\\d-.*"));
        assertThat(audit).anyMatch(l -> l.contains("action=config.test") && l.contains("ok=true"));
        assertThat(audit).anyMatch(l -> l.contains("action=dlq.replay") && l.contains("replayed=1")
                && l.contains("delta-7"));
    }

    @Test
    @Order(9)
    void shouldFitAPhoneWidthScreen() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            openConfig("acme");
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
            assertThat(overflow).as("no sideways scrolling at phone width").isEqualTo(false);
            screenshot("config-phone");
            browser.get(console + "#/dead-letters");
            waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("dlq-count")));
            screenshot("dead-letters-phone");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(10)
    void shouldRefuseASaveOverAChangeTheFormDidNotShowAndOfferToReload() throws Exception {
        openConfig("acme");
        // Someone else changes the config while the page is open (with the CLI's library, here).
        java.util.Properties kafka = new java.util.Properties();
        kafka.setProperty("bootstrap.servers", mailer.bootstrapServers());
        try (ConfigAdmin admin = new ConfigAdmin(kafka, mailer.topics, WAIT)) {
            ConfigAdmin.Current now = admin.current("acme");
            admin.publish("acme", ConfigEdit.apply(now.config(), java.util.Map.of("campaignIntervalSeconds", "3"),
                    java.util.Set.of()), now.version());
        }
        type("campaignIntervalSeconds", "5");
        browser.findElement(By.id("save-button")).click();
        assertThat(waitForText("conflict-notice")).startsWith("The config of tenant 'acme'")
                .contains("changed since", "campaignIntervalSeconds", "Reload the page");
        screenshot("config-conflict");

        browser.findElement(By.id("reload-button")).click();
        waiting.until(ExpectedConditions.attributeToBe(By.id("f-campaignIntervalSeconds"), "value", "3"));
        type("campaignIntervalSeconds", "5");
        browser.findElement(By.id("save-button")).click();
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-message"), "Applied by the mailer"));
    }

    /** What the page's own session gets from the console's API. */
    private static String fetch(String path) {
        return ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => r.text()).then(done);", path).toString();
    }

    private static void openConfig(String tenant) {
        browser.get(console + "#/config/" + tenant);
        browser.navigate().refresh();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-smtpHost")));
    }

    private static void type(String field, String value) {
        WebElement input = browser.findElement(By.id("f-" + field));
        input.clear();
        input.sendKeys(value);
    }

    private static void check(String field, boolean on) {
        WebElement box = browser.findElement(By.id("f-" + field));
        if (box.isSelected() != on) {
            box.sendKeys(Keys.SPACE);
        }
    }

    /** An element's text; the page re-draws its form once a save is applied, so a stale element is looked up again. */
    private static String text(String id) {
        return new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id(id)).getText());
    }

    private static String waitForText(String id) {
        return waiting.until(d -> {
            String t = d.findElement(By.id(id)).getText();
            return t.isEmpty() ? null : t;
        });
    }

    private static List<String> subjects() {
        return smtp.received().stream().map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void screenshot(String name) throws IOException {
        screenshot(browser, name);
    }

    static void screenshot(ChromeDriver browser, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
