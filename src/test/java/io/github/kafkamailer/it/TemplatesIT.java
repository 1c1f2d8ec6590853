package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.MailerSettings;
import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.Template;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates end to end, on the real broker and GreenMail: a template published on the templates topic and an email
 * naming it arrive as one rendered message (subject, both bodies, the HTML escaped), and its {@code SENT} status
 * names the template.
 */
class TemplatesIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    private MailerHarness mailer;
    private EmbeddedSmtpServer smtp;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(stateDir);
        mailer.withProperty(MailerSettings.TOPIC_TEMPLATES, mailer.topics.templates());
        smtp = EmbeddedSmtpServer.start(0);
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    private MimeMessage received(String subject) {
        return smtp.received().stream().filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElse(null);
    }

    /** The body part of {@code type} (text/plain, text/html), however the message nests its alternatives. */
    private static String part(Object content, String type) throws Exception {
        if (content instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                if (p.isMimeType(type)) {
                    return String.valueOf(p.getContent());
                }
                String nested = part(p.getContent(), type);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    @Test
    void shouldSendAnEmailRenderedFromAPublishedTemplateAndNameItInSent() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        Template invoice = new Template("default", "invoice", "Invoice {{number}} for {{customer.name}}",
                "Dear {{customer.name}},\nplease find invoice {{number}}.",
                "<p>Dear {{customer.name}},</p><p>invoice {{number}}</p>");
        mailer.send(mailer.topics.templates(), invoice.key().getBytes(StandardCharsets.UTF_8),
                TemplateJson.write(invoice));
        // Published right after the template: should the table not have it yet, the email is retried until it has.
        mailer.publishEmail("inv-1", "{\"id\":\"inv-1\",\"from\":\"alice@company.example\","
                + "\"to\":[\"bob@example.com\"],\"template\":\"invoice\","
                + "\"data\":{\"number\":\"2026-0042\",\"customer\":{\"name\":\"Bob <Smith> & Co\"}}}");

        String subject = "Invoice 2026-0042 for Bob <Smith> & Co";
        await().atMost(WAIT).until(() -> received(subject) != null);
        MimeMessage m = received(subject);
        Object content = m.getContent();
        assertThat(part(content, "text/plain")).isEqualToNormalizingNewlines(
                "Dear Bob <Smith> & Co,\nplease find invoice 2026-0042.");
        assertThat(part(content, "text/html"))
                .isEqualTo("<p>Dear Bob &lt;Smith&gt; &amp; Co,</p><p>invoice 2026-0042</p>");

        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).until(() -> status.statuses().stream()
                .anyMatch(s -> s.id().equals("inv-1") && s.status() == Status.SENT));
        assertThat(status.statuses()).filteredOn(s -> s.id().equals("inv-1") && s.status() == Status.SENT)
                .singleElement().extracting(StatusEvent::template).isEqualTo("invoice");
    }
}
