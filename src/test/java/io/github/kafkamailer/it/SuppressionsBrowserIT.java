package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.app.ProcessSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.LoggerFactory;

/**
 * The console's suppressions page in headless Chromium (as {@link ConsoleBrowserIT}) against a running mailer on
 * the shared broker: look an address up, suppress it, lift it; each change audited.
 */
class SuppressionsBrowserIT {
    private static final String PASSWORD = "suppressions-test-password";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private ChromeDriver browser;
    private WebDriverWait waiting;
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger("io.github.kafkamailer.console.audit");

    @BeforeEach
    void start() throws Exception {
        assertThat(Files.isExecutable(ConsoleBrowserIT.CHROMIUM) && Files.isExecutable(ConsoleBrowserIT.CHROMEDRIVER))
                .as("the console's browser tests need Debian's chromium and chromium-driver").isTrue();
        audit.start();
        auditLogger.addAppender(audit);
        mailer = new MailerHarness(dir.resolve("state")).withProperty(ProcessSettings.CONSOLE_PASSWORD, PASSWORD)
                .start();
        browser = ConsoleBrowserIT.chromium(dir.resolve("chromium-profile"));
        waiting = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void stop() {
        auditLogger.detachAppender(audit);
        if (browser != null) {
            browser.quit();
        }
        mailer.close();
    }

    @Test
    void shouldLookUpSuppressAndLiftAnAddress() throws Exception {
        String console = "http://127.0.0.1:" + mailer.app().httpPort() + "/console/";
        browser.get(console);
        waiting.until(ExpectedConditions.urlContains("/console/login"));
        browser.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "Signed in"));

        browser.findElement(By.cssSelector("a[data-page=suppressions]")).click();
        WebElement tenant = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("supp-tenant")));
        tenant.clear();
        tenant.sendKeys("acme");
        WebElement address = browser.findElement(By.id("supp-address"));
        address.sendKeys("Bob@Example.com");
        browser.findElement(By.id("supp-lookup")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("supp-none")));

        new Select(browser.findElement(By.id("supp-reason"))).selectByValue("COMPLAINED");
        browser.findElement(By.id("supp-add")).click();
        WebElement row = waiting.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#supp-rows tr[data-address='bob@example.com']")));
        assertThat(row.getText()).contains("acme").contains("COMPLAINED");
        ConsoleBrowserIT.screenshot(browser, "suppressions");

        // A bad address is refused by the server, and said on the page.
        address.clear();
        address.sendKeys("not an address");
        browser.findElement(By.id("supp-add")).click();
        assertThat(waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("supp-error"))).getText())
                .contains("address");

        address.clear();
        browser.findElement(By.id("supp-lookup")).click();
        row = waiting.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#supp-rows tr[data-address='bob@example.com']")));
        row.findElement(By.cssSelector("button.lift")).click();
        waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=confirm-lift]"))).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("supp-none")));

        List<String> lines = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.contains("action=suppression.add") && l.contains("tenant=acme")
                && l.contains("address=bob@example.com") && l.contains("reason=COMPLAINED"));
        assertThat(lines).anyMatch(l -> l.contains("action=suppression.remove") && l.contains("tenant=acme")
                && l.contains("address=bob@example.com"));
    }
}
