package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.embedded.EmbeddedKafkaBroker;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No email lost across a killed mailer or a restarted broker, and duplicates bounded by the batch in flight
 * (CONTRACT.md, {@code id}). The mailer runs as its own process (the built jar) so it can be killed for real.
 */
class CrashIT {
    private static final int BATCH = 200;

    @TempDir
    Path dir;

    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() {
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() {
        smtp.close();
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    private int distinctReceived() {
        return new HashSet<>(smtp.messageIds()).size();
    }

    private Process startMailerProcess(Path processConfig, Path stateDir, Path log) throws Exception {
        Path jar = Path.of("target", "mailer.jar").toAbsolutePath();
        assertThat(jar).as("the jar built by mvn package").isRegularFile();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "run",
                "--config", processConfig.toString(), "--state-dir", stateDir.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    @Test
    void shouldDeliverEveryEmailAfterTheMailerIsKilledMidRunWithDuplicatesBoundedByOneBatch() throws Exception {
        try (MailerHarness harness = new MailerHarness(dir.resolve("unused"))) {
            harness.createTopics();
            harness.publishConfig("default", config(smtp.port(), ""));
            List<String> ids = ids("crash-", 2000);
            harness.publishEmails(ids, id -> email(id, ""));
            Path processConfig = harness.writeProcessConfig(dir.resolve("mailer.properties"));
            Files.writeString(processConfig, "mailer.batch.size=" + BATCH + "\n", java.nio.file.StandardOpenOption.APPEND);
            Path state = dir.resolve("state");
            Path log = dir.resolve("mailer.log");

            Process first = startMailerProcess(processConfig, state, log);
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> smtp.receivedCount() >= 400);
            } finally {
                first.destroyForcibly();
                first.waitFor(30, TimeUnit.SECONDS);
            }
            int beforeRestart = smtp.receivedCount();
            assertThat(beforeRestart).as("killed in the middle of the run").isLessThan(2000);

            Process second = startMailerProcess(processConfig, state, log);
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> distinctReceived() == 2000);
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            int duplicates = smtp.receivedCount() - distinctReceived();
            System.out.printf("CrashIT: killed after %d received; %d delivered, %d distinct, %d duplicates%n",
                    beforeRestart, smtp.receivedCount(), distinctReceived(), duplicates);
            assertThat(new HashSet<>(smtp.subjects())).hasSize(2000);
            assertThat(duplicates).isLessThanOrEqualTo(BATCH);
        }
    }

    @Test
    void shouldLoseNothingWhenTheBrokerStopsAndRestartsMidRun() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
             MailerHarness harness = new MailerHarness(dir.resolve("state"), broker.bootstrapServers())) {
            harness.start();
            harness.publishConfig("default", config(smtp.port(), ""));
            List<String> ids = ids("outage-", 1000);
            harness.publishEmails(ids, id -> email(id, ""));
            await().atMost(Duration.ofSeconds(60)).until(() -> smtp.receivedCount() >= 100);

            broker.stop();
            // Whatever was in flight gets sent; with the broker gone no further batch can start.
            java.util.concurrent.atomic.AtomicInteger last = new java.util.concurrent.atomic.AtomicInteger(-1);
            await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> last.getAndSet(smtp.receivedCount()) == smtp.receivedCount());
            broker.restart();

            await().atMost(Duration.ofSeconds(120)).until(() -> distinctReceived() == 1000);
            int duplicates = smtp.receivedCount() - distinctReceived();
            System.out.printf("CrashIT: broker restarted; %d delivered, %d distinct, %d duplicates%n",
                    smtp.receivedCount(), distinctReceived(), duplicates);
            assertThat(new HashSet<>(smtp.subjects())).hasSize(1000);
        }
    }

}
