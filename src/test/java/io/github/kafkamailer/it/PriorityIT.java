package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The priority lane on a real broker and a real SMTP exchange: a tenant whose next run is ten minutes away sends a
 * {@code HIGH} email at once, and the normal email published beside it keeps waiting for the run.
 */
class PriorityIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() throws Exception {
        mailer = new MailerHarness(dir.resolve("state"));
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    /** Runs that ended: each records its duration once. */
    private long runsEnded() {
        var timer = mailer.metrics.registry().find(MailerMetrics.BATCH_DURATION).tags("tenant", "default").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void shouldSendAHighEmailAtOnceWhileTheNormalOneWaitsForTheTenantsNextRun() throws Exception {
        mailer.start();
        mailer.publishConfig("default", "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"smtpPort\":" + smtp.port()
                + ",\"postmaster\":\"donotreply@company.example\",\"campaignIntervalSeconds\":600}");
        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        // The tenant's first run sends this one; the next run is 600 s after it.
        mailer.publishEmail("first", email("first", ""));
        await().atMost(WAIT).until(() -> status.statuses().stream()
                .anyMatch(s -> s.id().equals("first") && s.status() == Status.SENT));
        // Let that run end (it lingers while emails arrive), so nothing but the lane can send what follows.
        await().atMost(WAIT).until(() -> runsEnded() >= 1);

        mailer.publishEmail("later", email("later", ""));
        mailer.publishEmail("urgent", email("urgent", "\"priority\":\"HIGH\""));

        await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.id().equals("urgent")));
        assertThat(status.statuses()).filteredOn(s -> s.id().equals("urgent")).extracting(StatusEvent::status)
                .containsExactly(Status.SENT);
        assertThat(smtp.received()).extracting(FaultySmtpServer.Received::message)
                .anyMatch(m -> m.contains("Subject urgent")).noneMatch(m -> m.contains("Subject later"));
        assertThat(status.statuses()).filteredOn(s -> s.id().equals("later")).isEmpty();
    }
}
