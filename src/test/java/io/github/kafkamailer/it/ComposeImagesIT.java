package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.ops.Dockerfile;
import io.github.kafkamailer.testing.EnabledIfDockerEngine;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The compose stack's own images, where a Docker engine runs and can pull them (skipped with the reason
 * elsewhere, as on the machine CI runs on here, whose podman reaches no registry and makes no bridge network;
 * ImageIT runs the mailer's image there): Kafka and Mailpit at the versions docker-compose.yml pins, first with
 * the mailer in this JVM, then with the mailer's image built from the Dockerfile on its public base images, as
 * {@code docker compose up} runs it.
 */
@EnabledIfDockerEngine
class ComposeImagesIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Network network;
    private static KafkaContainer kafka;
    private static GenericContainer<?> mailpit;

    @TempDir
    Path dir;

    /** The image docker-compose.yml runs for a service. */
    static DockerImageName composeImage(String service) throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile());
        return DockerImageName.parse(compose.path("services").path(service).path("image").asText());
    }

    /** Why the images this test needs can't be had here (none local, and the pull failed), if so. */
    static Optional<String> unavailable(List<DockerImageName> images) {
        DockerClient docker = DockerClientFactory.instance().client();
        for (DockerImageName image : images) {
            String name = image.asCanonicalNameString();
            if (present(docker, name)) {
                continue;
            }
            // The engine's own words on a failed pull (Docker and podman word their progress differently).
            List<String> errors = new CopyOnWriteArrayList<>();
            try {
                docker.pullImageCmd(image.getUnversionedPart()).withTag(image.getVersionPart())
                        .exec(new ResultCallback.Adapter<PullResponseItem>() {
                            @Override
                            public void onNext(PullResponseItem item) {
                                if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                                    errors.add(item.getErrorDetail().getMessage());
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                errors.add(String.valueOf(t.getMessage()));
                                super.onError(t);
                            }
                        }).awaitCompletion(5, TimeUnit.MINUTES);
            } catch (RuntimeException e) {
                errors.add(String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while pulling " + name);
            }
            if (!present(docker, name)) {
                return Optional.of("cannot pull " + name + (errors.isEmpty() ? "" : ": " + errors.get(0)));
            }
        }
        return Optional.empty();
    }

    private static boolean present(DockerClient docker, String name) {
        try {
            docker.inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @BeforeAll
    static void startTheStack() throws IOException {
        // The compose stack's images, and the Dockerfile's public base images for the second test.
        Map<String, String> dockerfileArgs = Dockerfile.globalArgs();
        Optional<String> skip = unavailable(List.of(composeImage("kafka"), composeImage("mailpit"),
                DockerImageName.parse(dockerfileArgs.get("BUILD_IMAGE")),
                DockerImageName.parse(dockerfileArgs.get("RUNTIME_IMAGE"))));
        skip.ifPresent(reason -> System.out.println("ComposeImagesIT skipped: " + reason));
        Assumptions.assumeTrue(skip.isEmpty(), () -> "skipped: " + skip.orElseThrow());
        network = Network.newNetwork();
        kafka = new KafkaContainer(composeImage("kafka"))
                .withNetwork(network)
                .withNetworkAliases("kafka")
                // How containers on the network (the mailer's) reach it; the test's JVM uses the mapped port.
                .withListener("kafka:19092");
        mailpit = new GenericContainer<>(composeImage("mailpit"))
                .withNetwork(network)
                .withNetworkAliases("mailpit")
                .withExposedPorts(1025, 8025)
                .waitingFor(Wait.forHttp("/api/v1/messages").forPort(8025));
        kafka.start();
        mailpit.start();
    }

    @AfterAll
    static void stopTheStack() {
        if (mailpit != null) {
            mailpit.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    private static String mailpitMessages() throws Exception {
        URI uri = URI.create("http://" + mailpit.getHost() + ":" + mailpit.getMappedPort(8025) + "/api/v1/messages");
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String config(String smtpHost, int smtpPort) {
        return "{\"enabled\":true,\"smtpHost\":\"" + smtpHost + "\",\"smtpPort\":" + smtpPort
                + ",\"postmaster\":\"donotreply@company.example\",\"campaignIntervalSeconds\":1}";
    }

    @Test
    void shouldDeliverThroughTheComposeKafkaToMailpit() throws Exception {
        String id = "tc-" + UUID.randomUUID().toString().substring(0, 8);
        try (MailerHarness mailer = new MailerHarness(dir.resolve("state"), kafka.getBootstrapServers())) {
            mailer.start();
            mailer.publishConfig("default", config(mailpit.getHost(), mailpit.getMappedPort(1025)));
            mailer.publishEmail(id, email(id, ""));
            MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
            await().atMost(WAIT).until(() -> status.statuses().stream()
                    .anyMatch(s -> s.id().equals(id) && s.status() == Status.SENT));
            await().atMost(WAIT).until(() -> mailpitMessages().contains("Subject " + id));
        }
    }

    @Test
    void shouldRunTheImageBuiltFromTheDockerfileAsComposeDoes() throws Exception {
        // The build context holds only what the Dockerfile copies (target/ and .git stay out).
        ImageFromDockerfile image = new ImageFromDockerfile("kafka-mailer-it", true)
                .withFileFromPath("Dockerfile", Path.of("Dockerfile"))
                .withFileFromPath("pom.xml", Path.of("pom.xml"))
                .withFileFromPath("topics", Path.of("topics"))
                .withFileFromPath("src/main", Path.of("src", "main"))
                .withFileFromPath("config/mailer.properties", Path.of("config", "mailer.properties"));
        try (GenericContainer<?> mailer = new GenericContainer<>(image)
                .withNetwork(network)
                .withEnv("KAFKA_BOOTSTRAP_SERVERS", "kafka:19092")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/health").forPort(8080).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)))) {
            mailer.start();

            // Not root, and reachable through the published port: the image binds 0.0.0.0 by itself.
            Container.ExecResult uid = mailer.execInContainer("id", "-u");
            assertThat(uid.getStdout().strip()).isEqualTo("10001");
            URI metrics = URI.create("http://" + mailer.getHost() + ":" + mailer.getMappedPort(8080) + "/metrics");
            assertThat(HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("kafka_stream_alive_stream_threads");

            // The default topic names, as a producer of the compose stack uses them.
            String id = "tc-image-" + UUID.randomUUID().toString().substring(0, 8);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("mail.config", "default", config("mailpit", 1025))).get();
                producer.send(new ProducerRecord<>("mail.outbox", id, email(id, ""))).get();
            }
            await().atMost(WAIT).until(() -> mailpitMessages().contains("Subject " + id));
            assertThat(mailer.getLogs()).contains("Mailer started");
        }
    }
}
