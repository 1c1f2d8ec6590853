package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.app.MailerSettings;
import io.github.kafkamailer.bounce.Dsns;
import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.testing.GreenMails;
import io.github.kafkamailer.testing.Ports;
import jakarta.mail.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounces on the real broker (CONTRACT.md, "Bounces"): the mailer sends through GreenMail's SMTP server, a
 * delivery status notification for that email lands in the bounce mailbox on GreenMail's IMAP server, and the
 * mailer turns it into a BOUNCED status and suppression, deletes it, and leaves the other mail unread.
 */
class BouncesIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PASSWORD = "bounce-pw-7";

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private GreenMail greenMail;
    private GreenMailUser bounces;

    @BeforeEach
    void setUp() throws Exception {
        greenMail = new GreenMail(new ServerSetup[] {GreenMails.local(ServerSetup.PROTOCOL_SMTP),
                GreenMails.local(ServerSetup.PROTOCOL_IMAP)});
        greenMail.start();
        bounces = greenMail.setUser("bounces@company.example", "bounces", PASSWORD);
        mailer = new MailerHarness(dir.resolve("state"));
        mailer.withProperty(MailerSettings.TOPIC_SUPPRESSIONS, mailer.topics.suppressions()).start();
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        greenMail.stop();
    }

    private String bounceFields(int imapPort) {
        return "\"bounceImapHost\":\"127.0.0.1\",\"bounceImapPort\":" + imapPort + ",\"bounceImapUser\":\"bounces\","
                + "\"bounceImapPassword\":\"" + PASSWORD + "\",\"bounceImapSsl\":false,\"bouncePollSeconds\":5";
    }

    /** The bounce INBOX as another client sees it: each message's subject and whether it was read. */
    private Map<String, Boolean> inbox() throws Exception {
        return GreenMails.imapInbox(greenMail.getImap().getPort(), "bounces", PASSWORD);
    }

    @Test
    void shouldTurnAPermanentBounceIntoABouncedStatusAndSuppressionAndDeleteTheReportOnly() throws Exception {
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        MailerHarness.TopicReader suppressions = mailer.reader(mailer.topics.suppressions());
        mailer.publishConfig("default", config(greenMail.getSmtp().getPort(), bounceFields(greenMail.getImap().getPort())));
        // An id with a space, a slash and an umlaut: its Message-ID is a hash, and the mailer's own header
        // (X-Mailer-Email-Id) is what names it in the returned message.
        String id = "inv 1/\u00e4";
        mailer.publishEmail(id, email(id, ""));
        await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.status() == Status.SENT));
        await().atMost(WAIT).until(() -> greenMail.getReceivedMessagesForDomain("example.com").length == 1);
        Message sent = greenMail.getReceivedMessagesForDomain("example.com")[0];
        ByteArrayOutputStream returned = new ByteArrayOutputStream();
        sent.writeTo(returned);

        bounces.deliver(Dsns.plain("Out of office"));
        bounces.deliver(Dsns.report("<dsn-1@mx.example.com>", Dsns.status("bob@example.com", "failed", "5.1.1",
                "550 5.1.1 <bob@example.com>: Recipient address rejected"), "message/rfc822", returned.toByteArray()));

        await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.status() == Status.BOUNCED));
        StatusEvent bounced = status.statuses().stream().filter(s -> s.status() == Status.BOUNCED).findFirst()
                .orElseThrow();
        assertThat(bounced.id()).isEqualTo(id);
        assertThat(bounced.tenant()).isEqualTo("default");
        assertThat(bounced.recipient()).isEqualTo("bob@example.com");
        assertThat(bounced.error()).startsWith("5.1.1 550 5.1.1");

        await().atMost(WAIT).until(() -> !suppressions.poll().isEmpty());
        ConsumerRecord<byte[], byte[]> record = suppressions.poll().get(0);
        String key = new String(record.key(), StandardCharsets.UTF_8);
        assertThat(key).isEqualTo("default/bob@example.com");
        Suppression s = SuppressionJson.parse(key, record.value());
        assertThat(s.reason()).isEqualTo(SuppressionReason.BOUNCED);

        // Deleted once processed and committed; the other message stays, unread.
        // The mailer may expunge the report while this reads the folder: that read fails, the next one counts.
        await().atMost(WAIT).ignoreExceptionsInstanceOf(jakarta.mail.MessagingException.class)
                .until(() -> inbox().size() == 1);
        assertThat(inbox()).containsExactly(Map.entry("Out of office", false));
        assertThat(status.statuses().stream().filter(x -> x.status() == Status.BOUNCED)).hasSize(1);
        assertThat(suppressions.poll()).hasSize(1);
        assertThat(mailer.metrics.count(MailerMetrics.BOUNCES, "tenant", "default", "kind", "permanent"))
                .isEqualTo(1);
    }

    @Test
    void shouldKeepSendingWhenTheBounceMailboxIsUnreachable() throws Exception {
        int closed = Ports.closed();
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        mailer.publishConfig("default", config(greenMail.getSmtp().getPort(), bounceFields(closed)));
        mailer.publishEmail("inv-2", email("inv-2", ""));

        await().atMost(WAIT).until(() -> mailer.metrics.count(MailerMetrics.BOUNCE_MAILBOX_FAILURES,
                "tenant", "default") >= 1);
        await().atMost(WAIT).until(() -> status.statuses().stream()
                .anyMatch(s -> s.id().equals("inv-2") && s.status() == Status.SENT));
        mailer.publishEmail("inv-3", email("inv-3", ""));
        await().atMost(WAIT).until(() -> status.statuses().stream()
                .anyMatch(s -> s.id().equals("inv-3") && s.status() == Status.SENT));
        assertThat(greenMail.getReceivedMessagesForDomain("example.com")).hasSize(2);
        assertThat(mailer.fatal).isEmpty();
        assertThat(List.of(mailer.app().streams().state().toString())).containsExactly("RUNNING");
    }
}
