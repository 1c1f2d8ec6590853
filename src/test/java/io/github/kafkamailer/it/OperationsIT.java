package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.github.kafkamailer.cli.MailerCli;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What operators see: /metrics, /health, /ready, and secrets kept out of every output. */
class OperationsIT {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state"));
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    @Test
    void shouldExportEveryContractMetricWithItsValue() throws Exception {
        smtp.replyToRecipient("nobody@example.com", 550).failNextMessages(1, 451);
        mailer.start();
        int port = mailer.app().httpPort();
        assertThat(Scrape.get(port, "/health").statusCode()).isEqualTo(200);
        if (System.getenv("MAILER_ADMIN_PASSWORD") == null) {
            assertThat(Scrape.get(port, "/console/").statusCode()).as("no admin password, no console").isEqualTo(404);
        }
        await().atMost(WAIT).until(() -> Scrape.get(port, "/ready").statusCode() == 200);

        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishConfig("default", config(0, ""));
        mailer.publishConfig("paused", config(smtp.port(), "\"enabled\":false").replace("\"enabled\":true,", ""));
        for (int i = 0; i < 3; i++) {
            mailer.publishEmail("ok-" + i, email("ok-" + i, ""));
        }
        mailer.publishEmail("refused", email("refused", "").replace("bob@example.com", "nobody@example.com"));
        mailer.send(mailer.topics.outbox(), "garbage", "not json");
        mailer.publishEmail("wait-1", email("wait-1", "\"tenant\":\"paused\""));
        mailer.publishEmail("wait-2", email("wait-2", "\"tenant\":\"paused\""));

        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).until(() -> status.statuses().stream().filter(s -> s.status() == Status.SENT).count() == 3
                && status.statuses().stream().anyMatch(s -> s.status() == Status.DEAD_LETTERED));

        await().atMost(WAIT).untilAsserted(() -> {
            Scrape m = Scrape.of(port);
            assertThat(m.value("mailer_emails_sent_total", "tenant", "default", "transport", "SMTP")).isEqualTo(3);
            assertThat(m.value("mailer_emails_failed_total", "tenant", "default", "kind", "transient")).isEqualTo(1);
            assertThat(m.value("mailer_emails_failed_total", "tenant", "default", "kind", "permanent")).isEqualTo(1);
            assertThat(m.value("mailer_emails_failed_total", "tenant", "unknown", "kind", "invalid")).isEqualTo(1);
            assertThat(m.value("mailer_emails_retried_total", "tenant", "default")).isEqualTo(1);
            assertThat(m.value("mailer_emails_dead_lettered_total", "tenant", "default", "kind", "permanent")).isEqualTo(1);
            assertThat(m.value("mailer_emails_dead_lettered_total", "tenant", "unknown", "kind", "invalid")).isEqualTo(1);
            assertThat(m.value("mailer_config_rejected_total", "tenant", "default")).isEqualTo(1);
            assertThat(m.value("mailer_emails_pending", "tenant", "default")).isEqualTo(0);
            assertThat(m.value("mailer_emails_pending", "tenant", "paused")).isEqualTo(2);
            assertThat(m.value("mailer_batch_duration_seconds_count", "tenant", "default")).isGreaterThanOrEqualTo(1);
            assertThat(m.value("mailer_delivery_latency_seconds_count", "tenant", "default", "transport", "SMTP"))
                    .isEqualTo(3);
            assertThat(m.value("mailer_delivery_latency_seconds_bucket", "tenant", "default", "transport", "SMTP",
                    "le", "+Inf")).isEqualTo(3);
        });

        Scrape m = Scrape.of(port);
        // Registered at zero once the tenant's config is known, so alerts see the first increase.
        assertThat(m.value("mailer_emails_skipped_total", "tenant", "default")).isEqualTo(0);
        assertThat(m.value("mailer_emails_dead_lettered_total", "tenant", "paused", "kind", "expired")).isEqualTo(0);
        // Everything the alert rules and the dashboard query is really exported.
        assertThat(m.names()).containsAll(io.github.kafkamailer.ops.ExportedMetrics.NAMES);
        assertThat(m.names()).anyMatch(n -> n.startsWith("kafka_stream_"));
        assertThat(m.names()).contains("jvm_memory_used_bytes", "process_cpu_usage");
        assertThat(Scrape.get(port, "/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldKeepASecretOutOfLogsMetricsStatusesDeadLettersAndTheCli() throws Exception {
        String secret = "Pa55-" + Long.toHexString(System.nanoTime()) + "-never-shown";
        List<String> logged = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                logged.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : ThrowableProxyUtil.asString(e.getThrowableProxy())));
            }
        };
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        capture.setContext(root.getLoggerContext());
        capture.start();
        root.addAppender(capture);
        try {
            smtp.advertiseAuth(true).replyToRecipient("nobody@example.com", 550).failNextMessages(1, 451);
            mailer.start();
            String withSecret = config(smtp.port(), "\"smtpUser\":\"mailer\",\"smtpPassword\":\"" + secret + "\"");
            mailer.publishConfig("default", withSecret);
            // A rejected record carrying the secret: its WARN must not echo it.
            mailer.publishConfig("default", withSecret.replace("\"smtpPort\":" + smtp.port(), "\"smtpPort\":0"));
            mailer.publishEmail("s-ok", email("s-ok", ""));
            mailer.publishEmail("s-retry", email("s-retry", ""));
            mailer.publishEmail("s-refused", email("s-refused", "").replace("bob@example.com", "nobody@example.com"));
            MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
            await().atMost(WAIT).until(() -> status.statuses().stream().filter(s -> s.status() == Status.SENT).count() == 2
                    && status.statuses().stream().anyMatch(s -> s.status() == Status.DEAD_LETTERED));
            assertThat(smtp.authenticatedUsers()).contains("mailer");

            Path processConfig = dir.resolve("p.properties");
            Files.writeString(processConfig, "mailer.topic.config=" + mailer.topics.config() + "\n");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = MailerCli.execute(new String[] {"config", "get", "--tenant", "default", "--bootstrap-servers",
                    mailer.bootstrapServers(), "--config", processConfig.toString()},
                    new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(code).isZero();

            StringBuilder everything = new StringBuilder();
            everything.append(String.join("\n", logged)).append(out).append(err);
            everything.append(Scrape.of(mailer.app().httpPort()).text());
            for (String topic : List.of(mailer.topics.status(), mailer.topics.dlq(), mailer.topics.retry())) {
                for (ConsumerRecord<byte[], byte[]> r : mailer.reader(topic).poll()) {
                    everything.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
                    for (Header h : r.headers()) {
                        everything.append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            assertThat(logged).anyMatch(l -> l.contains("rejected"));
            assertThat(out.toString()).contains("\"smtpPassword\" : \"********\"");
            assertThat(everything.toString()).doesNotContain(secret);
        } finally {
            root.detachAppender(capture);
        }
    }
}
