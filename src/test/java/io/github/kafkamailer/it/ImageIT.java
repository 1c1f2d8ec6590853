package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.testing.DockerEngine;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The image itself (the one the system property {@code mailer.image} names: {@code ./run-tests} builds
 * {@code localhost/kafka-mailer:test} from the Dockerfile with podman), run as production runs it: as its
 * non-root user, on this test's in-process broker, with a config of the test's own, delivering to a real SMTP
 * server (GreenMail), answering {@code /health}, stopping on SIGTERM within the drain time. The container shares
 * the host's network (no bridge can be made on the machines CI runs on), so it reaches the broker and GreenMail
 * on 127.0.0.1 and binds its HTTP server there. Skipped, with the reason printed, when the property is unset or
 * no container engine answers.
 */
class ImageIT {
    /** How long the mailer may take to stop on SIGTERM: MailerApp's drain time (RunCommand closes it so). */
    private static final Duration DRAIN_TIME = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String CONFIG_IN_CONTAINER = "/app/config/image-it.properties";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static DockerImageName image;
    private static GreenMail smtp;

    @TempDir
    static Path dir;

    @BeforeAll
    static void findTheImageAndAnEngine() {
        String name = System.getProperty("mailer.image", "").strip();
        Optional<String> skip = name.isEmpty()
                ? Optional.of("no image to run: -Dmailer.image is not set (./run-tests builds one and sets it)")
                : DockerEngine.unavailableReason();
        skip.ifPresent(reason -> System.out.println("ImageIT skipped: " + reason));
        Assumptions.assumeTrue(skip.isEmpty(), () -> "skipped: " + skip.orElseThrow());
        image = DockerImageName.parse(name);
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    /** A port free on the loopback now, for the container's HTTP server (host network: no port mapping). */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image on the host's network, with the test's process config copied in, its output in this test's. */
    private static GenericContainer<?> container(byte[] processConfig, String name, String... command) {
        return new GenericContainer<>(image)
                .withNetworkMode("host")
                .withCopyToContainer(Transferable.of(processConfig, 0644), CONFIG_IN_CONTAINER)
                .withLogConsumer(frame -> {
                    String line = frame.getUtf8String();
                    if (!line.isBlank()) {
                        System.out.print("[" + name + "] " + (line.endsWith("\n") ? line : line + "\n"));
                    }
                })
                .withCommand(command);
    }

    private static int get(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void shouldRunAsItsOwnUserDeliverAnEmailAnswerHealthAndStopOnSigtermWithinTheDrainTime() throws Exception {
        try (MailerHarness harness = new MailerHarness(dir.resolve("unused"))) {
            // The topics first, as `mailer topics create` would make them (mail.config compacted), then the config.
            harness.createTopics();
            harness.publishConfig("default", MailerHarness.config(smtp.getSmtp().getPort(), ""));
            byte[] processConfig = Files.readAllBytes(harness.writeProcessConfig(dir.resolve("mailer.properties")));
            int httpPort = freePort();

            try (GenericContainer<?> mailer = container(processConfig, "mailer", "run", "--config", CONFIG_IN_CONTAINER,
                    "--state-dir", "/app/state", "--http-port", String.valueOf(httpPort))
                    .withEnv("MAILER_HTTP_BIND", "127.0.0.1")
                    .waitingFor(Wait.forLogMessage(".*Mailer started.*\\n", 1).withStartupTimeout(WAIT))) {
                mailer.start();

                // Not root: the image says so (an orchestrator's runAsNonRoot reads this), and so does the process.
                DockerClient docker = DockerClientFactory.instance().client();
                String user = docker.inspectImageCmd(image.asCanonicalNameString()).exec().getConfig().getUser();
                assertThat(user).matches("\\d+(:\\d+)?");
                assertThat(Integer.parseInt(user.split(":")[0])).isNotZero();
                String uid = mailer.execInContainer("id", "-u").getStdout().strip();
                assertThat(uid).isEqualTo(user.split(":")[0]).isNotEqualTo("0");

                URI health = URI.create("http://127.0.0.1:" + httpPort + "/health");
                await().atMost(WAIT).ignoreExceptions().until(() -> get(health) == 200);

                // The CLI's arguments reach the entrypoint as `docker run IMAGE send ...` gives them: an email sent
                // by a second container of the image, which waits until the first one delivered it.
                String id = "image-" + UUID.randomUUID().toString().substring(0, 8);
                try (GenericContainer<?> send = container(processConfig, "send", "send", "--config",
                        CONFIG_IN_CONTAINER, "--id", id, "--from", "alice@company.example", "--to", "bob@example.com",
                        "--subject", "From the image " + id, "--text", "Delivered by the container", "--wait")
                        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(WAIT))) {
                    send.start(); // fails unless send exits 0: SENT
                    assertThat(send.getLogs()).contains(id + ": " + Status.SENT);
                }
                assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
                MimeMessage received = Arrays.stream(smtp.getReceivedMessages())
                        .filter(m -> subject(m).equals("From the image " + id)).findFirst().orElseThrow();
                assertThat(received.getAllRecipients()).extracting(Object::toString).containsExactly("bob@example.com");

                // docker stop: SIGTERM to java (PID 1), which drains and exits; the engine's own deadline is
                // well past the drain time, so a slow stop shows here as time, not as a SIGKILL.
                long start = System.nanoTime();
                docker.stopContainerCmd(mailer.getContainerId()).withTimeout((int) DRAIN_TIME.toSeconds() * 2).exec();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                Long exitCode = docker.inspectContainerCmd(mailer.getContainerId()).exec().getState().getExitCodeLong();
                System.out.printf("ImageIT: image %s, uid %s, stopped on SIGTERM in %d ms, exit code %d%n",
                        image, uid, took.toMillis(), exitCode);
                assertThat(took).isLessThan(DRAIN_TIME);
                // 143 = 128 + SIGTERM: the JVM's status after its shutdown hook closed the mailer.
                assertThat(exitCode).isIn(0L, 143L);
                assertThat(mailer.getLogs()).contains("Mailer started").doesNotContain("OutOfMemoryError");
            }
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
