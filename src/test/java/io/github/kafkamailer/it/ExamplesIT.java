package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.app.MailerSettings;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.testing.TopicSchemas;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producers in {@code examples/} (Java, Python, Node.js, the shell), each run as a user would run it against a
 * real broker, the mailer and an SMTP server: it must exit 0 (both its emails {@code SENT}), GreenMail must have
 * received both, and what it published on the outbox must be keyed by the event's id and valid against
 * {@code topics/email-event.schema.json}, one email templated and one plain.
 *
 * <p>The template the examples name is {@code examples/invoice-template.json}, published here as an admin would.
 * A tool an example needs (python3-confluent-kafka, node with {@code npm ci} done in examples/node, kcat) that is
 * missing skips that example with the reason, and fails it in CI ({@code CI=true}), where ./run-tests installs it.
 */
class ExamplesIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long EXAMPLE_TIMEOUT_SECONDS = 150;
    private static final Path EXAMPLES = TopicSchemas.projectRoot().resolve("examples");
    private static final Pattern PUBLISHED = Pattern.compile("(?m)^published ((?:\\S+ ?)+)$");
    private static final ObjectMapper JSON = TopicSchemas.JSON;

    @TempDir
    static Path dir;

    private static GreenMail smtp;
    private static MailerHarness mailer;
    private static MailerHarness.TopicReader outbox;
    private static MailerHarness.TopicReader status;

    @BeforeAll
    static void startMailer() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        mailer = new MailerHarness(dir.resolve("state"));
        mailer.withProperty(MailerSettings.TOPIC_TEMPLATES, mailer.topics.templates());
        mailer.start();
        mailer.publishConfig("default", MailerHarness.config(smtp.getSmtp().getPort(), null));
        JsonNode template = JSON.readTree(EXAMPLES.resolve("invoice-template.json").toFile());
        assertThat(TopicSchemas.problems("template-record", template)).as("examples/invoice-template.json").isEmpty();
        mailer.send(mailer.topics.templates(), template.get("tenant").asText() + "/" + template.get("name").asText(),
                JSON.writeValueAsString(template));
        outbox = mailer.reader(mailer.topics.outbox());
        status = mailer.reader(mailer.topics.status());
    }

    @AfterAll
    static void stopMailer() {
        if (mailer != null) {
            mailer.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void shouldRunTheJavaExample() throws Exception {
        // As a user runs it: the JDK's source launcher with kafka-clients and Jackson (and slf4j) on the class path.
        String classPath = Stream.of(org.apache.kafka.clients.producer.KafkaProducer.class, ObjectMapper.class,
                        com.fasterxml.jackson.core.JsonFactory.class,
                        com.fasterxml.jackson.annotation.JsonProperty.class, org.slf4j.LoggerFactory.class)
                .map(ExamplesIT::jarOf).distinct().collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        runAndCheck("java", EXAMPLES.getParent(), java, "-cp", classPath, "examples/java/SendEmails.java");
    }

    @Test
    void shouldRunThePythonExample() throws Exception {
        // Debian's python3-confluent-kafka is a module of the system's Python, not of a pyenv or virtualenv one.
        requireTool(Files.isExecutable(Path.of("/usr/bin/python3"))
                        && exitsZero("/usr/bin/python3", "-c", "import confluent_kafka"),
                "/usr/bin/python3 can't import confluent_kafka: apt-get install python3-confluent-kafka");
        runAndCheck("python", EXAMPLES.getParent(), "/usr/bin/python3", "examples/python/send_emails.py");
    }

    @Test
    void shouldRunTheNodeExample() throws Exception {
        Path node = EXAMPLES.resolve("node");
        requireTool(onPath("node").isPresent(), "node is not on PATH: apt-get install nodejs npm");
        requireTool(Files.isDirectory(node.resolve("node_modules/kafkajs")),
                "examples/node/node_modules/kafkajs is missing: run npm ci in examples/node (./run-tests does)");
        runAndCheck("node", node, "node", "send-emails.js");
    }

    @Test
    void shouldRunTheShellExample() throws Exception {
        requireTool(onPath("kcat").isPresent(), "kcat is not on PATH: apt-get install kcat");
        runAndCheck("shell", EXAMPLES.getParent(), "bash", "examples/shell/send-emails.sh");
    }

    /** Runs one example to its end, then checks what it published and that both its emails reached the server. */
    private static void runAndCheck(String name, Path workDir, String... command) throws Exception {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "BOOTSTRAP_SERVERS", mailer.bootstrapServers(),
                "OUTBOX_TOPIC", mailer.topics.outbox(),
                "STATUS_TOPIC", mailer.topics.status(),
                "TIMEOUT_SECONDS", "120"));
        Process process = builder.start();
        if (!process.waitFor(EXAMPLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("the %s example did not end within %d s; its output:%n%s", name, EXAMPLE_TIMEOUT_SECONDS, read(log));
        }
        String output = read(log);
        assertThat(process.exitValue()).as("exit status of the %s example; its output:%n%s", name, output)
                .isZero();

        Matcher published = PUBLISHED.matcher(output);
        List<String> ids = new ArrayList<>();
        while (published.find()) {
            ids.addAll(Arrays.asList(published.group(1).trim().split(" ")));
        }
        assertThat(ids).as("ids the %s example says it published ('published ID...'):%n%s", name, output)
                .hasSize(2);

        List<JsonNode> events = new ArrayList<>();
        for (String id : ids) {
            ConsumerRecord<byte[], byte[]> record = await().atMost(WAIT)
                    .until(() -> outboxRecord(id), Optional::isPresent).orElseThrow();
            JsonNode event = JSON.readTree(record.value());
            assertThat(event.path("id").asText()).as("the %s example's record key and the event's id", name)
                    .isEqualTo(id);
            assertThat(TopicSchemas.problems("email-event", event))
                    .as("the %s example's event against topics/email-event.schema.json: %s", name, event).isEmpty();
            events.add(event);
        }
        JsonNode templated = events.stream().filter(e -> e.has("template")).findFirst()
                .orElseThrow(() -> new AssertionError("the " + name + " example published no templated email"));
        JsonNode plain = events.stream().filter(e -> !e.has("template")).findFirst()
                .orElseThrow(() -> new AssertionError("the " + name + " example published no plain email"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(sent()).containsAll(ids));
        MimeMessage invoice = await().atMost(WAIT).until(() -> received(templated.get("id").asText()),
                Optional::isPresent).orElseThrow();
        assertThat(invoice.getSubject()).isEqualTo("Invoice 2026-0042");
        assertThat(GreenMailUtil.getBody(invoice)).contains("Dear Bob");
        MimeMessage welcome = await().atMost(WAIT).until(() -> received(plain.get("id").asText()),
                Optional::isPresent).orElseThrow();
        assertThat(welcome.getSubject()).isEqualTo(plain.get("subject").asText());
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> outboxRecord(String id) {
        return outbox.poll().stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(id)).findFirst();
    }

    private static List<String> sent() {
        return status.statuses().stream().filter(s -> s.status() == Status.SENT).map(s -> s.id()).toList();
    }

    /** The message GreenMail received for an email id (its Message-ID is {@code <ID@domain>} for tenant default). */
    private static Optional<MimeMessage> received(String id) throws MessagingException {
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getMessageID() != null && m.getMessageID().startsWith("<" + id + "@")) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Present, or else skipped here with the reason and failed in CI, where ./run-tests installs it. */
    private static void requireTool(boolean present, String reason) {
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason);
        }
        assumeTrue(present, reason);
    }

    private static boolean exitsZero(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d.isEmpty() ? "." : d, name)).filter(Files::isExecutable).findFirst();
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }
}
