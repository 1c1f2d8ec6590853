package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule of the configuration screen, on a real broker and a real SMTP server. */
class ConfigRulesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    private MailerHarness mailer;
    private EmbeddedSmtpServer smtp;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(stateDir);
        smtp = EmbeddedSmtpServer.start(0);
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    private List<String> receivedSubjects(EmbeddedSmtpServer server) {
        return server.received().stream().map(m -> {
            try {
                return m.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private MimeMessage received(String subject) {
        return smtp.received().stream().filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow();
    }

    @Test
    void shouldSendAnEmailWithAMessageIdDerivedFromItsId() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishEmail("inv-42", email("inv-42", ""));

        await().atMost(WAIT).until(() -> receivedSubjects(smtp).contains("Subject inv-42"));
        assertThat(received("Subject inv-42").getMessageID()).isEqualTo("<inv-42@company.example>");
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.statuses())
                .extracting(StatusEvent::id, StatusEvent::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("inv-42", Status.SENT)));
    }

    @Test
    void shouldKeepEmailsWhileDisabledAndSendThemAllOnceEnabled() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"enabled\":false").replace("\"enabled\":true,", ""));
        for (int i = 0; i < 5; i++) {
            mailer.publishEmail("d" + i, email("d" + i, ""));
        }
        // Several runs' worth of time: nothing may go out, nothing may be dropped.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> smtp.received().isEmpty());

        mailer.publishConfig("default", config(smtp.port(), ""));
        await().atMost(WAIT).until(() -> smtp.received().size() == 5);
        assertThat(receivedSubjects(smtp)).containsExactlyInAnyOrder(
                "Subject d0", "Subject d1", "Subject d2", "Subject d3", "Subject d4");
    }

    @Test
    void shouldUseThePostmasterAsSenderAndTheUserAsReplyToWhenForced() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"forcePostmaster\":true"));
        mailer.publishEmail("p1", email("p1", ""));
        mailer.publishEmail("p2", email("p2", "\"replyTo\":[\"team@company.example\"]"));

        await().atMost(WAIT).until(() -> smtp.received().size() == 2);
        MimeMessage p1 = received("Subject p1");
        assertThat(p1.getFrom()).containsExactly(new InternetAddress("donotreply@company.example"));
        assertThat(p1.getReplyTo()).containsExactly(new InternetAddress("alice@company.example"));
        assertThat(received("Subject p2").getReplyTo()).containsExactly(new InternetAddress("team@company.example"));
    }

    @Test
    void shouldUseTheEventsSenderWhenThePostmasterIsNotForced() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"forcePostmaster\":false"));
        mailer.publishEmail("f1", email("f1", ""));

        await().atMost(WAIT).until(() -> smtp.received().size() == 1);
        assertThat(received("Subject f1").getFrom()).containsExactly(new InternetAddress("alice@company.example"));
    }

    @Test
    void shouldSkipEmailsCreatedBeforeTheStartWhenAsked() throws Exception {
        mailer.createTopics();
        mailer.publishConfig("default", config(smtp.port(), "\"skipPendingOnStart\":true"));
        String before = Instant.now().minusSeconds(3600).toString();
        mailer.publishEmail("old", email("old", "\"createdAt\":\"" + before + "\""));
        mailer.start();
        mailer.publishEmail("new", email("new", ""));

        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.statuses())
                .extracting(StatusEvent::id, StatusEvent::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("old", Status.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple("new", Status.SENT)));
        assertThat(receivedSubjects(smtp)).containsExactly("Subject new");
        assertThat(mailer.metrics.count(MailerMetrics.SKIPPED, "tenant", "default")).isEqualTo(1);
    }

    @Test
    void shouldApplyRetentionDaysToTheTopics() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"retentionDays\":7"));
        long sevenDays = Duration.ofDays(7).toMillis();
        try (Admin admin = mailer.admin()) {
            for (String topic : List.of(mailer.topics.outbox(), mailer.topics.retry(), mailer.topics.dlq(),
                    mailer.topics.status())) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(retentionMs(admin, topic)).isEqualTo(sevenDays));
            }
            mailer.publishConfig("default", config(smtp.port(), "\"retentionDays\":3"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(retentionMs(admin, mailer.topics.dlq()))
                    .isEqualTo(Duration.ofDays(3).toMillis()));
        }
    }

    private static long retentionMs(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(r)).all().get(10, TimeUnit.SECONDS);
        return Long.parseLong(configs.get(r).get("retention.ms").value());
    }

    @Test
    void shouldRejectInvalidConfigsAndKeepTheLastValidOne() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        // Each one is invalid; had any been applied, the emails would go nowhere.
        mailer.publishConfig("default", config(smtp.port(), "\"useGraphApi\":true"));
        mailer.publishConfig("default", config(0, ""));
        mailer.publishConfig("default", config(smtp.port(), "\"enabled\":false,\"postmaster\":\"not-an-address\"")
                .replace("\"postmaster\":\"donotreply@company.example\",", "").replace("\"enabled\":true,", ""));
        await().atMost(WAIT).until(() -> mailer.metrics.count(MailerMetrics.CONFIG_REJECTED, "tenant", "default") == 3);

        mailer.publishEmail("kept", email("kept", ""));
        await().atMost(WAIT).until(() -> receivedSubjects(smtp).contains("Subject kept"));
    }

    @Test
    void shouldMakeEmailsWaitAfterATombstoneUntilANewConfig() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishConfig("default", null);
        mailer.publishEmail("t1", email("t1", ""));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> smtp.received().isEmpty());

        mailer.publishConfig("default", config(smtp.port(), ""));
        await().atMost(WAIT).until(() -> receivedSubjects(smtp).contains("Subject t1"));
    }

    @Test
    void shouldSendEachTenantsEmailsThroughItsOwnServer() throws Exception {
        try (EmbeddedSmtpServer other = EmbeddedSmtpServer.start(0)) {
            mailer.start();
            mailer.publishConfig("acme", config(smtp.port(), ""));
            mailer.publishConfig("globex", config(other.port(), ""));
            mailer.publishEmail("a1", email("a1", "\"tenant\":\"acme\""));
            mailer.publishEmail("g1", email("g1", "\"tenant\":\"globex\""));
            mailer.publishEmail("a2", email("a2", "\"tenant\":\"acme\""));

            await().atMost(WAIT).until(() -> smtp.received().size() == 2 && other.received().size() == 1);
            assertThat(receivedSubjects(smtp)).containsExactlyInAnyOrder("Subject a1", "Subject a2");
            assertThat(receivedSubjects(other)).containsExactly("Subject g1");
        }
    }

    @Test
    void shouldKeepAnEmailPendingWhileItsServerIsUnreachableAndSendItLater() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        mailer.start();
        mailer.publishConfig("default", config(closedPort, ""));
        mailer.publishEmail("w1", email("w1", ""));
        await().atMost(WAIT).until(() -> mailer.metrics.count(MailerMetrics.FAILED, "tenant", "default", "kind", "transient") >= 2);

        mailer.publishConfig("default", config(smtp.port(), ""));
        await().atMost(WAIT).until(() -> receivedSubjects(smtp).contains("Subject w1"));
    }

    @Test
    void shouldRefuseToSendInPlainTextWhenStartTlsIsRequiredButNotOffered() throws Exception {
        // GreenMail offers no STARTTLS: with startTls true the email must wait, never go out unencrypted.
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), "\"startTls\":true"));
        mailer.publishEmail("tls1", email("tls1", ""));
        await().atMost(WAIT).until(() -> mailer.metrics.count(MailerMetrics.FAILED, "tenant", "default", "kind", "transient") >= 1);
        assertThat(smtp.received()).isEmpty();

        mailer.publishConfig("default", config(smtp.port(), "\"startTls\":false"));
        await().atMost(WAIT).until(() -> receivedSubjects(smtp).contains("Subject tls1"));
    }

    @Test
    void shouldDeadLetterAnInvalidEventAndStillSendTheNextOne() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        byte[] garbage = "{\"id\": broken".getBytes(StandardCharsets.UTF_8);
        mailer.send(mailer.topics.outbox(), "broken".getBytes(StandardCharsets.UTF_8), garbage);
        mailer.publishEmail("after", email("after", ""));

        await().atMost(WAIT).until(() -> receivedSubjects(smtp).contains("Subject after"));
        MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
        await().atMost(WAIT).until(() -> dlq.poll().size() == 1);
        ConsumerRecord<byte[], byte[]> dead = dlq.poll().get(0);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.KIND).value(), StandardCharsets.UTF_8))
                .isEqualTo("INVALID");
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.SOURCE).value(), StandardCharsets.UTF_8))
                .startsWith(mailer.topics.outbox() + "/");
    }

    @Test
    void shouldSendAnIdOnlyOnceWhenItIsPublishedTwice() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishEmail("once", email("once", ""));
        await().atMost(WAIT).until(() -> smtp.received().size() == 1);
        mailer.publishEmail("once", email("once", ""));
        mailer.publishEmail("marker", email("marker", ""));
        await().atMost(WAIT).until(() -> receivedSubjects(smtp).contains("Subject marker"));
        assertThat(receivedSubjects(smtp)).containsExactly("Subject once", "Subject marker");
    }
}
