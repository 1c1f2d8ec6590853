package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.cli.MailerCli;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suppressions end to end: {@code mailer suppress} on a real broker, then emails through a real SMTP exchange. */
class SuppressionIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private FaultySmtpServer smtp;
    private Path processConfig;

    @BeforeEach
    void setUp() throws IOException {
        mailer = new MailerHarness(dir.resolve("state"));
        smtp = new FaultySmtpServer().start();
        processConfig = dir.resolve("mailer.properties");
        Files.writeString(processConfig, "mailer.topic.suppressions=" + mailer.topics.suppressions() + "\n");
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    private String cli(String... command) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of("--bootstrap-servers", SharedBroker.bootstrapServers(), "--config", processConfig.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(a.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void shouldSendNothingToAnAddressSuppressedThroughTheCliAndAgainOnceLifted() throws Exception {
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        assertThat(cli("suppress", "add", "--tenant", "default", "--address", "Bob@Example.com", "--reason", "BOUNCED"))
                .contains("default/bob@example.com");
        assertThat(cli("suppress", "list", "--tenant", "default"))
                .contains("bob@example.com").contains("BOUNCED").contains("1 suppression(s)");

        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        // The global table may take a moment to read the new record: the email goes out until then.
        await().atMost(WAIT).untilAsserted(() -> {
            String id = "probe-" + System.nanoTime();
            mailer.publishEmail(id, email(id, ""));
            await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.id().equals(id)));
            assertThat(status.statuses()).filteredOn(s -> s.id().equals(id)).extracting(StatusEvent::status)
                    .containsExactly(Status.SUPPRESSED);
        });
        int receivedBefore = smtp.receivedCount();
        mailer.publishEmail("two", email("two", "\"cc\":[\"carol@example.com\"]"));
        await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.id().equals("two")));
        assertThat(status.statuses()).filteredOn(s -> s.id().equals("two")).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.suppressed()).containsExactly("bob@example.com");
        });
        assertThat(smtp.received().subList(receivedBefore, smtp.receivedCount())).singleElement()
                .satisfies(r -> assertThat(r.recipients()).containsExactly("carol@example.com"));
        assertThat(mailer.metrics.count(MailerMetrics.SUPPRESSED, "tenant", "default")).isGreaterThanOrEqualTo(1);

        cli("suppress", "remove", "--tenant", "default", "--address", "bob@example.com");
        assertThat(cli("suppress", "list")).contains("0 suppression(s)");
        await().atMost(WAIT).untilAsserted(() -> {
            String id = "after-" + System.nanoTime();
            mailer.publishEmail(id, email(id, ""));
            await().atMost(WAIT).until(() -> status.statuses().stream().anyMatch(s -> s.id().equals(id)));
            assertThat(status.statuses()).filteredOn(s -> s.id().equals(id)).extracting(StatusEvent::status)
                    .containsExactly(Status.SENT);
        });
    }
}
