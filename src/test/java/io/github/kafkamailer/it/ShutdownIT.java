package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM in the middle of a run: the batch in flight is recorded, the process exits in bounded time, nothing is lost. */
class ShutdownIT {
    @TempDir
    Path dir;

    @Test
    void shouldStopCleanlyOnSigtermWithoutLosingOrResendingAnything() throws Exception {
        String secret = "sigterm-secret-" + Long.toHexString(System.nanoTime());
        try (FaultySmtpServer smtp = new FaultySmtpServer().advertiseAuth(true).start();
             MailerHarness harness = new MailerHarness(dir.resolve("unused"))) {
            harness.createTopics();
            harness.publishConfig("default", config(smtp.port(),
                    "\"smtpUser\":\"mailer\",\"smtpPassword\":\"" + secret + "\""));
            List<String> ids = IntStream.range(0, 1500).mapToObj(i -> "term-" + i).toList();
            harness.publishEmails(ids, id -> email(id, ""));
            Path processConfig = harness.writeProcessConfig(dir.resolve("mailer.properties"));
            Files.writeString(processConfig, "mailer.batch.size=100\n", StandardOpenOption.APPEND);
            Path log = dir.resolve("mailer.log");

            Process first = start(processConfig, log);
            await().atMost(Duration.ofSeconds(90)).until(() -> smtp.receivedCount() >= 300);
            Instant term = Instant.now();
            first.destroy(); // SIGTERM
            assertThat(first.waitFor(40, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            Duration took = Duration.between(term, Instant.now());
            int atStop = smtp.receivedCount();
            assertThat(atStop).as("stopped in the middle of the run").isLessThan(1500);

            // The second run logs JSON lines, as an operator may switch on in the process config.
            Files.writeString(processConfig, "mailer.log.format=json\n", StandardOpenOption.APPEND);
            Process second = start(processConfig, log);
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> new HashSet<>(smtp.messageIds()).size() == 1500);
            } finally {
                second.destroy();
                second.waitFor(40, TimeUnit.SECONDS);
            }
            int duplicates = smtp.receivedCount() - new HashSet<>(smtp.messageIds()).size();
            System.out.printf("ShutdownIT: SIGTERM after %d received, exit took %d ms, %d duplicates%n",
                    atStop, took.toMillis(), duplicates);
            assertThat(duplicates).as("the batch in flight was recorded before the exit").isZero();
            String output = Files.readString(log);
            assertThat(output).contains("Mailer started").doesNotContain(secret);
            assertThat(output.lines().filter(l -> l.startsWith("{") && l.contains("Mailer started")))
                    .as("a JSON log line from the second run").isNotEmpty();
        }
    }

    private static Process start(Path processConfig, Path log) throws Exception {
        Path jar = Path.of("target", "mailer.jar").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "run",
                "--config", processConfig.toString(), "--state-dir", processConfig.getParent().resolve("state").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }
}
