package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skipPendingOnStart} on a real broker with two instances: "at the starting" is the start of the mailer
 * service, not of the instance that owns a task now. What an instance left pending when it stopped while another
 * runs is sent by the other; what was pending when the whole service stopped is skipped at its next start.
 */
class ServiceStartIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final List<MailerHarness> mailers = new ArrayList<>();
    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() {
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() {
        for (int i = mailers.size() - 1; i >= 0; i--) {
            mailers.get(i).close();
        }
        smtp.close();
    }

    private MailerHarness mailer(MailerHarness first, String stateDir) {
        MailerHarness m = first == null ? new MailerHarness(dir.resolve(stateDir))
                : new MailerHarness(dir.resolve(stateDir), first);
        mailers.add(m);
        return m;
    }

    private static String disabledSkipping(int port) {
        return config(port, "\"skipPendingOnStart\":true,\"enabled\":false").replace("\"enabled\":true,", "");
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void shouldSendWhatAnInstanceLeftPendingWhenItStoppedWhileAnotherRuns() throws Exception {
        MailerHarness a = mailer(null, "state-a").start();
        MailerHarness.TopicReader statuses = a.reader(a.topics.status());
        // Disabled: the emails wait on A, accepted after the service started.
        a.publishConfig("default", disabledSkipping(smtp.port()));
        a.publishEmails(ids("moved-", 5), id -> email(id, ""));
        await().atMost(WAIT).until(() -> a.metrics.pending("default") == 5);

        MailerHarness b = mailer(a, "state-b").start();
        a.stop();
        await().atMost(WAIT).until(() -> b.metrics.pending("default") == 5);
        b.publishConfig("default", config(smtp.port(), "\"skipPendingOnStart\":true"));

        await().atMost(WAIT).until(() -> statuses.statuses().size() >= 5);
        assertThat(statuses.statuses()).extracting(StatusEvent::status).as("taken over, not a start: sent")
                .containsOnly(Status.SENT).hasSize(5);
        assertThat(smtp.receivedCount()).isEqualTo(5);
    }

    @Test
    void shouldStillSkipWhatWasPendingWhenTheWholeServiceStoppedAndStartsAgain() throws Exception {
        MailerHarness a = mailer(null, "state-a").start();
        MailerHarness.TopicReader statuses = a.reader(a.topics.status());
        a.publishConfig("default", disabledSkipping(smtp.port()));
        a.publishEmails(ids("old-", 3), id -> email(id, ""));
        await().atMost(WAIT).until(() -> a.metrics.pending("default") == 3);
        a.stop();

        MailerHarness again = mailer(a, "state-again").start();
        await().atMost(WAIT).until(() -> again.metrics.pending("default") == 3);
        again.publishConfig("default", config(smtp.port(), "\"skipPendingOnStart\":true"));
        again.publishEmail("new-0", email("new-0", ""));

        await().atMost(WAIT).until(() -> statuses.statuses().size() >= 4);
        assertThat(statuses.statuses()).extracting(StatusEvent::id, StatusEvent::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("old-0", Status.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("old-1", Status.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("old-2", Status.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("new-0", Status.SENT));
        assertThat(smtp.receivedCount()).isEqualTo(1);
    }
}
