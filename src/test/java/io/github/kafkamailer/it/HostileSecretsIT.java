package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config records whose secret references reach for what is not theirs (issue 9, item 5): each is rejected,
 * counted, and the tenant goes on sending with its last valid config; the mailer keeps running (a read of
 * /dev/zero used to kill the global thread with an OutOfMemoryError).
 */
class HostileSecretsIT {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private FaultySmtpServer smtp;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state"));
        smtp = new FaultySmtpServer().advertiseAuth(true).start();
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    private static String withPassword(int port, String host, String password) {
        return config(port, "\"smtpUser\":\"mailer\",\"smtpPassword\":\"" + password + "\"")
                .replace("\"smtpHost\":\"127.0.0.1\"", "\"smtpHost\":\"" + host + "\"");
    }

    @Test
    void shouldRejectHostileReferencesAndKeepSendingWithTheLastValidConfig() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("smtp"), "the-real-password\n");
        Path outside = Files.writeString(dir.resolve("mailer.properties"), "sasl.jaas.config=secret\n");
        Files.write(secrets.resolve("too-big"), new byte[65 * 1024]);
        mailer.withProperty(ProcessSettings.SECRETS_DIRS, secrets.toString()).start();

        mailer.publishConfig("default", withPassword(smtp.port(), "127.0.0.1", "${file:" + secrets.resolve("smtp") + "}"));
        mailer.publishEmail("before", email("before", ""));
        await().atMost(WAIT).until(() -> smtp.subjects().contains("Subject before"));

        // Each would move the tenant to another server; none may be applied.
        String[] hostile = {"${file:/proc/self/environ}", "${file:/dev/zero}", "${file:" + outside + "}",
                "${file:" + secrets + "/../mailer.properties}", "${file:" + secrets.resolve("too-big") + "}",
                "${env:PATH}"};
        for (String reference : hostile) {
            mailer.publishConfig("default", withPassword(smtp.port(), "elsewhere.invalid", reference));
        }
        await().atMost(WAIT).until(() ->
                mailer.metrics.count(MailerMetrics.CONFIG_REJECTED, "tenant", "default") >= hostile.length);

        mailer.publishEmail("after", email("after", ""));
        await().atMost(WAIT).until(() -> smtp.subjects().contains("Subject after"));
        assertThat(mailer.metrics.count(MailerMetrics.CONFIG_REJECTED, "tenant", "default")).isEqualTo(hostile.length);
        assertThat(smtp.authenticatedUsers()).containsOnly("mailer");
        assertThat(mailer.app().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /**
     * Issue 16, item 2: anyone who may write {@code mail.config} must not receive the console's password by naming
     * it as a secret reference ({@code MAILER_ADMIN_PASSWORD} has the default prefix {@code MAILER_}). Run as a
     * real process, with the variable really set in its environment.
     */
    @Test
    void shouldNeverHandTheAdminPasswordToAConfigThatReferencesIt() throws Exception {
        String adminPassword = "console-pw-" + Long.toHexString(System.nanoTime());
        try (FaultySmtpServer attacker = new FaultySmtpServer().advertiseAuth(true).start()) {
            mailer.createTopics();
            mailer.publishConfig("default", config(smtp.port(), ""));
            Path processConfig = mailer.writeProcessConfig(dir.resolve("mailer.properties"));
            Path log = dir.resolve("mailer.log");
            Path jar = Path.of("target", "mailer.jar").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-jar", jar.toString(), "run", "--config", processConfig.toString(),
                    "--state-dir", dir.resolve("child-state").toString(), "--http-port", "-1");
            pb.environment().put("MAILER_ADMIN_PASSWORD", adminPassword);
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            Process child = pb.start();
            try {
                mailer.publishEmail("before", email("before", ""));
                await().atMost(Duration.ofSeconds(90)).until(() -> smtp.subjects().contains("Subject before"));

                mailer.publishConfig("default", withPassword(attacker.port(), "127.0.0.1",
                        "${env:MAILER_ADMIN_PASSWORD}"));
                await().atMost(WAIT).until(() -> Files.readString(log).contains("reads it for itself"));
                mailer.publishEmail("after", email("after", ""));
                await().atMost(WAIT).until(() -> smtp.subjects().contains("Subject after"));
                assertThat(attacker.connectionsAccepted()).as("the hostile config was never applied").isZero();
            } finally {
                child.destroy();
                child.waitFor(40, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(Files.readString(log)).contains("MAILER_ADMIN_PASSWORD").doesNotContain(adminPassword);
        }
    }
}
