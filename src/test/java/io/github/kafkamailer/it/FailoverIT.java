package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover to a second server on a real broker (CONTRACT.md, {@code fallbackSmtpHost}): our fault-injecting SMTP
 * server as the tenant's own, GreenMail as its fallback. A run whose server refuses connections or greets with 421
 * sends through GreenMail, the email that met the failure included; the next run goes to the server again once it
 * is back; a recipient refused with 550 never fails over.
 */
class FailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private FaultySmtpServer primary;
    private GreenMail fallback;
    private final List<StatusEvent> seen = new ArrayList<>();
    private MailerHarness.TopicReader status;

    @BeforeEach
    void setUp() throws InterruptedException {
        primary = new FaultySmtpServer().start();
        fallback = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        fallback.start();
        mailer = new MailerHarness(dir.resolve("state"));
        mailer.start();
        status = mailer.reader(mailer.topics.status());
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        primary.close();
        fallback.stop();
    }

    private String withFallback() {
        return config(primary.port(), "\"fallbackSmtpHost\":\"127.0.0.1\",\"fallbackSmtpPort\":"
                + fallback.getSmtp().getPort());
    }

    private Optional<StatusEvent> finalStatus(String id) {
        synchronized (seen) {
            seen.addAll(status.statuses());
            return seen.stream().filter(s -> s.id().equals(id) && s.status() != Status.RETRY_SCHEDULED).findFirst();
        }
    }

    private StatusEvent awaitFinal(String id) {
        return await().atMost(WAIT).until(() -> finalStatus(id), Optional::isPresent).orElseThrow();
    }

    private double failovers() {
        return mailer.metrics.count(MailerMetrics.FAILOVERS, "tenant", "default");
    }

    @Test
    void shouldSendThroughTheFallbackWhileTheServerRefusesConnectionsAndThroughTheServerOnceBack() {
        primary.stop();
        mailer.publishConfig("default", withFallback());
        mailer.publishEmail("down-1", email("down-1", ""));
        mailer.publishEmail("down-2", email("down-2", ""));

        for (String id : List.of("down-1", "down-2")) {
            StatusEvent s = awaitFinal(id);
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.server()).isEqualTo(StatusEvent.FALLBACK_SERVER);
            assertThat(s.attempts()).as("the refused connection cost no attempt").isEqualTo(1);
        }
        assertThat(fallback.getReceivedMessages()).hasSize(2);
        assertThat(failovers()).isGreaterThanOrEqualTo(1);

        primary.start();
        mailer.publishEmail("back-1", email("back-1", ""));
        StatusEvent back = awaitFinal("back-1");
        assertThat(back.status()).isEqualTo(Status.SENT);
        assertThat(back.server()).as("the next run tries the server again").isEqualTo(StatusEvent.PRIMARY_SERVER);
        assertThat(primary.subjects()).containsExactly("Subject back-1");
        assertThat(fallback.getReceivedMessages()).hasSize(2);
    }

    @Test
    void shouldSendThroughTheFallbackWhenTheServerGreetsWith421() {
        primary.replyToGreeting(421);
        mailer.publishConfig("default", withFallback());
        mailer.publishEmail("busy-1", email("busy-1", ""));

        StatusEvent s = awaitFinal("busy-1");
        assertThat(s.status()).isEqualTo(Status.SENT);
        assertThat(s.server()).isEqualTo(StatusEvent.FALLBACK_SERVER);
        assertThat(primary.received()).isEmpty();
        assertThat(fallback.getReceivedMessages()).hasSize(1);
        await().atMost(WAIT).until(() -> failovers() == 1);
    }

    @Test
    void shouldNotFailOverWhenTheServerRefusesTheRecipient() {
        primary.replyToAllRecipients(550);
        mailer.publishConfig("default", withFallback());
        mailer.publishEmail("nobody-1", email("nobody-1", ""));

        StatusEvent s = awaitFinal("nobody-1");
        assertThat(s.status()).isEqualTo(Status.DEAD_LETTERED);
        assertThat(fallback.getReceivedMessages()).isEmpty();
        assertThat(failovers()).isZero();
    }
}
