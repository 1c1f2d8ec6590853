package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailer.send.max.connections} on a real broker and a real SMTP exchange: tenants that together ask for
 * more connections than the bound share it, and every email still goes out.
 */
class SenderBoundIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int TENANTS = 4;
    private static final int EMAILS = 150;

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state")).withProperty(ProcessSettings.SEND_MAX_CONNECTIONS, "2");
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    @Test
    void shouldNeverOpenMoreConnectionsThanTheBoundOverAllTenantsAndDeliverEveryEmail() throws Exception {
        mailer.start();
        // Disabled while the emails arrive, then enabled together: four runs of four connections at once.
        for (int t = 0; t < TENANTS; t++) {
            mailer.publishConfig("t" + t, config(smtp.port(), "\"smtpConnections\":4,\"enabled\":false")
                    .replace("\"enabled\":true,", ""));
        }
        for (int t = 0; t < TENANTS; t++) {
            String tenant = "t" + t;
            mailer.publishEmails(IntStream.range(0, EMAILS).mapToObj(i -> tenant + "-" + i).toList(),
                    id -> email(id, "\"tenant\":\"" + tenant + "\""));
        }
        await().atMost(WAIT).until(() -> IntStream.range(0, TENANTS)
                .allMatch(t -> mailer.metrics.pending("t" + t) == EMAILS));

        for (int t = 0; t < TENANTS; t++) {
            mailer.publishConfig("t" + t, config(smtp.port(), "\"smtpConnections\":4"));
        }
        await().atMost(WAIT).until(() -> smtp.receivedCount() >= TENANTS * EMAILS);

        assertThat(new HashSet<>(smtp.messageIds())).hasSize(TENANTS * EMAILS);
        for (int t = 0; t < TENANTS; t++) {
            String prefix = "Subject t" + t + "-";
            assertThat(smtp.subjects().stream().filter(s -> s.startsWith(prefix)).count()).isEqualTo(EMAILS);
        }
        assertThat(smtp.peakOpenConnections()).as("connections open at once, server side").isBetween(1, 2);
        String scrape = ((PrometheusMeterRegistry) mailer.metrics.registry()).scrape();
        assertThat(scrape).contains("mailer_sender_connections{state=\"in_use\"}")
                .contains("mailer_sender_connections{state=\"waiting\"}");
        assertThat(mailer.metrics.registry().find(MailerMetrics.SENDER_CONNECTIONS).tag("state", "in_use").gauge()
                .value()).isLessThanOrEqualTo(2);
    }
}
