package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.app.MailerSettings;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.Template;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.LoggerFactory;

/**
 * The console's templates page in headless Chromium (as {@link ConsoleBrowserIT}) against a running mailer on the
 * shared broker: write a template, see the server's preview (its HTML in a sandboxed frame where a script doesn't
 * run), a syntax error shown on its part with its line, save, send a test, delete; each change audited.
 */
class TemplatesBrowserIT {
    private static final String PASSWORD = "templates-test-password";
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
        mailer = new MailerHarness(dir.resolve("state")).withProperty(ProcessSettings.CONSOLE_PASSWORD, PASSWORD);
        mailer.withProperty(MailerSettings.TOPIC_TEMPLATES, mailer.topics.templates()).start();
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
    void shouldPreviewSaveTestAndDeleteATemplate() throws Exception {
        // Where a remote image in the template would come from: the preview must not ask it.
        AtomicInteger pixelHits = new AtomicInteger();
        HttpServer remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/", exchange -> {
            pixelHits.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        remote.start();
        String pixel = "http://127.0.0.1:" + remote.getAddress().getPort() + "/pixel.png";
        String console = "http://127.0.0.1:" + mailer.app().httpPort() + "/console/";
        browser.get(console);
        waiting.until(ExpectedConditions.urlContains("/console/login"));
        browser.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "Signed in"));

        browser.findElement(By.cssSelector("a[data-page=templates]")).click();
        WebElement tenant = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("tpl-tenant")));
        tenant.clear();
        tenant.sendKeys("acme");
        browser.findElement(By.id("tpl-load")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("tpl-none")));

        // A template that doesn't compile: the error on its part, with its line.
        type("tpl-name", "invoice");
        type("tpl-subject", "Invoice {{number}}");
        type("tpl-text", "Dear {{name}},\nyour invoice.");
        type("tpl-html", "<p>Dear {{name}}</p>\n{{#lines}}<li>{{item}}</li>");
        type("tpl-data", "{\"number\": 42, \"name\": \"<Ann>\", \"lines\": [{\"item\": \"tea\"}]}");
        browser.findElement(By.id("tpl-preview")).click();
        WebElement error = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("tpl-error")));
        assertThat(error.getText()).contains("html, line 2");
        assertThat(error.getAttribute("data-line")).isEqualTo("2");
        assertThat(browser.findElement(By.id("tpl-html")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("tpl-html-error")).getText()).contains("line 2");

        // Fixed, with a script in the HTML: the server renders; the frame shows the HTML and runs no script.
        type("tpl-html", "<p id=\"greeting\" style=\"color: rgb(255, 0, 0)\">Dear {{name}}</p>\n"
                + "{{#lines}}<li>{{item}}</li>{{/lines}}<img id=\"remote\" src=\"" + pixel + "\" alt=\"\">"
                + "<script>parent.document.title = 'pwned'; document.body.append('ran')</script>");
        browser.findElement(By.id("tpl-preview")).click();
        WebElement subject = waiting.until(ExpectedConditions.visibilityOfElementLocated(
                By.id("tpl-preview-subject")));
        assertThat(subject.getText()).isEqualTo("Invoice 42");
        assertThat(browser.findElement(By.id("tpl-preview-text")).getText()).contains("Dear <Ann>,");
        WebElement frame = browser.findElement(By.id("tpl-preview-html"));
        assertThat(frame.getDomAttribute("sandbox")).isEmpty();
        ConsoleBrowserIT.screenshot(browser, "templates-preview");
        browser.switchTo().frame(frame);
        WebElement greeting = waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("greeting")));
        assertThat(greeting.getText()).isEqualTo("Dear <Ann>");
        assertThat(greeting.getCssValue("color")).as("inline styles show").isEqualTo("rgba(255, 0, 0, 1)");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("tea").doesNotContain("ran");
        browser.switchTo().defaultContent();
        assertThat(browser.getTitle()).doesNotContain("pwned");
        // The frame's content is there, its image not asked for: the frame's policy holds it back.
        assertThat(pixelHits).hasValue(0);
        remote.stop(0);

        browser.findElement(By.id("tpl-save")).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("tpl-saved")));
        WebElement row = waiting.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#tpl-rows tr[data-name='invoice']")));
        assertThat(row.getText()).contains("Invoice {{number}}");
        MailerHarness.TopicReader templates = mailer.reader(mailer.topics.templates());
        await().atMost(WAIT).until(() -> !templates.poll().isEmpty());
        ConsumerRecord<byte[], byte[]> saved = templates.poll().get(0);
        Template t = TemplateJson.parse(new String(saved.key(), StandardCharsets.UTF_8), saved.value());
        assertThat(t.key()).isEqualTo("acme/invoice");
        assertThat(t.text()).isEqualTo("Dear {{name}},\nyour invoice.");

        // A test: the editor's rendered content, as a plain email of the tenant, to the outbox.
        type("tpl-test-to", "qa@example.com");
        browser.findElement(By.id("tpl-test")).click();
        String sent = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("tpl-test-sent"))).getText();
        MailerHarness.TopicReader outbox = mailer.reader(mailer.topics.outbox());
        await().atMost(WAIT).until(() -> !outbox.poll().isEmpty());
        EmailEvent email = EmailEventJson.parse(outbox.poll().get(0).value());
        assertThat(sent).contains(email.id());
        assertThat(email.tenant()).isEqualTo("acme");
        assertThat(email.to()).containsExactly("qa@example.com");
        assertThat(email.subject()).isEqualTo("Invoice 42");
        assertThat(email.html()).contains("Dear &lt;Ann&gt;");
        assertThat(email.template()).isNull();
        assertThat(email.priority()).isEqualTo(io.github.kafkamailer.model.Priority.HIGH);

        // Reload the list, open the template from it, delete it.
        browser.findElement(By.id("tpl-load")).click();
        row = waiting.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#tpl-rows tr[data-name='invoice']")));
        row.findElement(By.cssSelector("button.edit")).click();
        assertThat(browser.findElement(By.id("tpl-name")).getAttribute("value")).isEqualTo("invoice");
        browser.findElement(By.id("tpl-delete")).click();
        waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=confirm-delete]"))).click();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("tpl-none")));

        List<String> lines = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.contains("action=template.save") && l.contains("tenant=acme")
                && l.contains("name=invoice") && l.contains("parts=subject,text,html"));
        assertThat(lines).anyMatch(l -> l.contains("action=template.test") && l.contains("tenant=acme")
                && l.contains("id=" + email.id()) && l.contains("to=qa@example.com"));
        assertThat(lines).anyMatch(l -> l.contains("action=template.delete") && l.contains("tenant=acme")
                && l.contains("name=invoice"));
        // Names and ids only: never the sources or the data.
        assertThat(lines).noneMatch(l -> l.contains("Dear") || l.contains("Ann"));
    }

    /** Replaces a field's content, as a person would (select all, type). */
    private void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }
}
