package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.model.EmailEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin and producer commands against a real broker. */
class CliIT {
    @TempDir
    Path dir;

    private MailerHarness harness;
    private Path processConfig;

    @BeforeEach
    void setUp() throws IOException {
        harness = new MailerHarness(dir.resolve("state"));
        processConfig = dir.resolve("mailer.properties");
        Files.writeString(processConfig, String.join("\n",
                "mailer.topic.outbox=" + harness.topics.outbox(),
                "mailer.topic.config=" + harness.topics.config(),
                "mailer.topic.retry=" + harness.topics.retry(),
                "mailer.topic.dlq=" + harness.topics.dlq(),
                "mailer.topic.status=" + harness.topics.status()));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private String[] args(String... command) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of("--bootstrap-servers", SharedBroker.bootstrapServers(), "--config", processConfig.toString()));
        return a.toArray(String[]::new);
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = io.github.kafkamailer.cli.MailerCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int code, String out, String err) {
    }

    @Test
    void shouldCreateTopicsSetAndGetAConfigWithSecretsRedacted() throws IOException {
        Result created = run(args("topics", "create"));
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("created").contains(harness.topics.outbox());
        // The topic that says when the service started, which a mailer without the right to create topics needs.
        assertThat(created.out()).contains("mailer-service-start (1 partitions");
        assertThat(run(args("topics", "create")).out()).doesNotContain("created ");

        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"enabled\":true,\"smtpHost\":\"smtp.example.com\",\"smtpUser\":\"u\","
                + "\"smtpPassword\":\"s3cret-pass-42\",\"postmaster\":\"noreply@example.com\",\"campaignIntervalSeconds\":7}");
        Result set = run(args("config", "set", "--tenant", "acme", "--file", file.toString()));
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("acme").doesNotContain("s3cret-pass-42");

        // A later invalid record does not replace the config in force; get says so.
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"enabled\":true,\"smtpPort\":0}");
        harness.publishConfig("acme", Files.readString(bad));

        Result get = run(args("config", "get", "--tenant", "acme"));
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(get.out()).contains("\"campaignIntervalSeconds\" : 7").contains("\"smtpPassword\" : \"********\"")
                .doesNotContain("s3cret-pass-42");
        assertThat(get.err()).contains("was rejected").contains("smtpPort");

        Result none = run(args("config", "get", "--tenant", "nobody"));
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no valid config for tenant 'nobody'");
    }

    @Test
    void shouldRefuseAnEditMadeFromAVersionAnotherChangeReplaced() throws Exception {
        harness.createTopics();
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"enabled\":true,\"smtpHost\":\"smtp.example.com\",\"smtpUser\":\"u\","
                + "\"smtpPassword\":\"s3cret-pass-42\",\"postmaster\":\"noreply@example.com\"}");
        assertThat(run(args("config", "set", "--tenant", "acme", "--file", file.toString())).code()).isZero();

        // Two admins read the same version...
        Result get = run(args("config", "get", "--tenant", "acme", "--json"));
        assertThat(get.code()).as(get.err()).isZero();
        Matcher m = Pattern.compile("version (\\d+) ").matcher(get.err());
        assertThat(m.find()).as(get.err()).isTrue();
        String read = m.group(1);
        assertThat(get.out()).doesNotContain("version");

        // ... the first one's change is published ...
        Result first = run(args("config", "set", "--tenant", "acme", "--if-version", read,
                "--set", "campaignIntervalSeconds=60"));
        assertThat(first.code()).as(first.err()).isZero();
        String newer = first.out().replaceAll("(?s).*\\(offset (\\d+)\\).*", "$1");

        // ... and the second one's would undo it: refused, naming the newer change.
        Result second = run(args("config", "set", "--tenant", "acme", "--if-version", read,
                "--set", "smtpHost=smtp.other.example"));
        assertThat(second.code()).isEqualTo(1);
        assertThat(second.err()).contains("changed since it was read at version " + read)
                .contains("version " + newer).contains("campaignIntervalSeconds").contains("Nothing was published")
                .doesNotContain("s3cret-pass-42");
        Result whole = run(args("config", "set", "--tenant", "acme", "--if-version", read,
                "--file", file.toString()));
        assertThat(whole.code()).as("a whole record under --if-version too").isEqualTo(1);

        Result history = run(args("config", "history", "--tenant", "acme"));
        assertThat(history.out().strip().lines()).hasSize(3);   // the header, the record, the first change
        Result now = run(args("config", "get", "--tenant", "acme"));
        assertThat(now.out()).contains("\"smtpHost\" : \"smtp.example.com\"", "\"campaignIntervalSeconds\" : 60");
        assertThat(now.err()).contains("version " + newer + " ");

        // Against the version in force, the same edit goes through.
        Result again = run(args("config", "set", "--tenant", "acme", "--if-version", newer,
                "--set", "smtpHost=smtp.other.example"));
        assertThat(again.code()).as(again.err()).isZero();
    }

    @Test
    void shouldPublishAnEmailFromFlagsAndFromAFile() throws IOException {
        assertThat(run(args("topics", "create")).code()).isZero();
        Result fromFlags = run(args("send", "--to", "bob@example.com", "--to", "carol@example.com",
                "--subject", "Hi", "--text", "Hello", "--id", "cli-1"));
        assertThat(fromFlags.code()).as(fromFlags.err()).isZero();
        assertThat(fromFlags.out().strip()).isEqualTo("cli-1");

        Path file = Path.of("examples", "email.json");
        Result fromFile = run(args("send", "--file", file.toString()));
        assertThat(fromFile.code()).as(fromFile.err()).isZero();
        assertThat(fromFile.out().strip()).isEqualTo("inv-2026-0042");

        MailerHarness.TopicReader outbox = harness.reader(harness.topics.outbox());
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.poll().size() == 2);
        List<ConsumerRecord<byte[], byte[]>> records = outbox.poll();
        ConsumerRecord<byte[], byte[]> first = records.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("cli-1")).findFirst().orElseThrow();
        EmailEvent email = EmailEventJson.parse(first.value());
        assertThat(email.to()).containsExactly("bob@example.com", "carol@example.com");
        assertThat(email.subject()).isEqualTo("Hi");
    }

    @Test
    void shouldReplayTheDeadLetterOfTheNamedTenantOnlyWhenTwoTenantsShareAnId() throws Exception {
        harness.createTopics();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("bootstrap.servers", SharedBroker.bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(p,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (String tenant : List.of("acme", "beta")) {
                var headers = io.github.kafkamailer.failure.DeadLetters.headers(
                        new org.apache.kafka.common.header.internals.RecordHeaders(),
                        io.github.kafkamailer.failure.DeadLetterKind.EXPIRED, "still failing", 3,
                        java.time.Instant.now(), harness.topics.outbox() + "/0/1",
                        List.of(tenant + "-carol@example.com", tenant + "-dan@example.com"));
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(harness.topics.dlq(), null,
                        "inv-1".getBytes(StandardCharsets.UTF_8),
                        ("{\"id\":\"inv-1\",\"tenant\":\"" + tenant + "\"}").getBytes(StandardCharsets.UTF_8),
                        headers)).get();
            }
        }

        Result ambiguous = run(args("dlq", "replay", "--id", "inv-1"));
        assertThat(ambiguous.code()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("2 tenants").contains("'acme'").contains("'beta'").contains("--tenant");

        Result show = run(args("dlq", "show", "--id", "inv-1", "--tenant", "beta"));
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("\"tenant\" : \"beta\"");
        assertThat(show.err()).contains("undelivered:   2 recipient(s)").contains("beta-carol@example.com")
                .contains("beta-dan@example.com").doesNotContain("acme-");

        Result one = run(args("dlq", "replay", "--id", "inv-1", "--tenant", "acme"));
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).contains("Replayed 1 ");
        MailerHarness.TopicReader outbox = harness.reader(harness.topics.outbox());
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.poll().size() == 1);
        assertThat(new String(outbox.poll().get(0).value(), StandardCharsets.UTF_8)).contains("\"acme\"");

        Result all = run(args("dlq", "replay", "--all"));
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).contains("Replayed 2 ");
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.poll().size() == 3);
        assertThat(outbox.poll()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filteredOn(v -> v.contains("\"beta\"")).hasSize(1);
        assertThat(run(args("dlq", "replay", "--id", "inv-1", "--tenant", "gamma")).err())
                .contains("no dead letter with id 'inv-1' of tenant 'gamma'");
    }
}
