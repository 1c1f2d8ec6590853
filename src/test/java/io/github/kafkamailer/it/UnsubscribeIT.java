package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.MailerSettings;
import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-click unsubscribe end to end, on the real broker and GreenMail: an email with {@code "unsubscribe": true}
 * arrives with the RFC 8058 headers; a POST to its link writes the suppression to the topic, a GET and a forged
 * token write nothing.
 */
class UnsubscribeIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BASE = "https://mail.example.com/mailer";

    @TempDir
    Path stateDir;
    @TempDir
    Path secrets;

    private MailerHarness mailer;
    private EmbeddedSmtpServer smtp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void setUp() throws Exception {
        Path key = Files.writeString(secrets.resolve("unsubscribe-key"), "an unsubscribe key of forty-odd bytes, kept secret\n");
        mailer = new MailerHarness(stateDir);
        mailer.withProperty(MailerSettings.TOPIC_SUPPRESSIONS, mailer.topics.suppressions())
                .withProperty(MailerSettings.SECRETS_DIRS, secrets.toString())
                .withProperty(MailerSettings.UNSUBSCRIBE_BASE_URL, BASE)
                .withProperty(MailerSettings.UNSUBSCRIBE_KEY, "${file:" + key + "}");
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

    /** The link as the mailer serves it here: the path under the public base, on the local HTTP port. */
    private URI local(String link) {
        assertThat(link).startsWith(BASE + "/unsubscribe/");
        return URI.create("http://127.0.0.1:" + mailer.app().httpPort() + link.substring(BASE.length()));
    }

    private HttpResponse<String> post(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldSendTheHeadersAndRecordTheOneClickUnsubscribeOnTheTopic() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishEmail("news-1", email("news-1", "\"unsubscribe\":true"));

        await().atMost(WAIT).until(() -> received("Subject news-1") != null);
        MimeMessage m = received("Subject news-1");
        String[] listUnsubscribe = m.getHeader("List-Unsubscribe");
        assertThat(listUnsubscribe).hasSize(1);
        assertThat(listUnsubscribe[0]).startsWith("<" + BASE + "/unsubscribe/").endsWith(">");
        assertThat(m.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        URI link = local(listUnsubscribe[0].substring(1, listUnsubscribe[0].length() - 1));

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<button").doesNotContain("bob@example.com");
        String token = link.getPath().substring("/unsubscribe/".length());
        String forged = token.substring(0, token.indexOf('.') + 1) + "A".repeat(43);
        assertThat(post(URI.create(link.toString().replace(token, forged))).statusCode()).isEqualTo(400);

        HttpResponse<String> done = post(link);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).doesNotContain("bob@example.com");

        // The POST's record is stored before its answer: anything the GET or the forged token had written would be
        // there before it.
        MailerHarness.TopicReader suppressions = mailer.reader(mailer.topics.suppressions());
        await().atMost(WAIT).until(() -> !suppressions.poll().isEmpty());
        List<ConsumerRecord<byte[], byte[]>> records = suppressions.poll();
        assertThat(records).singleElement().satisfies(r -> {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo("default/bob@example.com");
            Suppression s = SuppressionJson.parse(key, r.value());
            assertThat(s.reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED);
            assertThat(s.address()).isEqualTo("bob@example.com");
            assertThat(s.tenant()).isEqualTo("default");
        });
    }
}
