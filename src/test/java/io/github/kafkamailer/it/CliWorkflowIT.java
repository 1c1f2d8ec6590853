package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.ConfigVersion;
import io.github.kafkamailer.app.MailerApp;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.failure.DeadLetters;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's path through the CLI, against a real broker and a running mailer: change a config field by
 * field, send with the options of a mail tool, follow an email, see what is pending, test a config, and replay
 * a dead letter.
 */
class CliWorkflowIT {
    private static final String PASSWORD = "pw-from-a-file-77";
    /** The peers' shared token of both instances (mailer.http.peer.token). */
    private static final String PEER_TOKEN = "cli-workflow-peer-token-42";
    private static final String ADMIN_PASSWORD = "cli workflow admin password";

    @TempDir
    Path dir;

    private MailerHarness harness;
    private Path processConfig;
    private FaultySmtpServer smtp;
    private MailerApp second;

    @BeforeEach
    void setUp() throws IOException {
        harness = new MailerHarness(dir.resolve("state"));
        processConfig = harness.writeProcessConfig(dir.resolve("mailer.properties"));
        smtp = new FaultySmtpServer().start();
    }

    @AfterEach
    void tearDown() {
        if (second != null) {
            second.close(Duration.ofSeconds(10));
        }
        harness.close();
        smtp.close();
    }

    private String[] args(String... command) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of("--command-config", processConfig.toString()));
        return a.toArray(String[]::new);
    }

    private static CliIT.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = io.github.kafkamailer.cli.MailerCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliIT.Result(code, out.toString(), err.toString());
    }

    private static CliIT.Result runWithStdin(String stdin, String... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(before);
        }
    }

    private MailerConfig inForce(String tenant) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", harness.bootstrapServers());
        try (ConfigAdmin admin = new ConfigAdmin(p, harness.topics, Duration.ofSeconds(15))) {
            return admin.inForce(tenant).map(ConfigVersion::config).orElseThrow();
        }
    }

    private static void ok(CliIT.Result r) {
        assertThat(r.code()).as("exit status; stderr: " + r.err() + "; stdout: " + r.out()).isZero();
    }

    @Test
    void shouldChangeAConfigFieldByFieldAndKeepItsSecrets() throws Exception {
        CliIT.Result topics = run(args("topics", "create", "--partitions", "2", "--replication-factor", "1"));
        ok(topics);
        assertThat(topics.out()).contains("created  " + harness.topics.outbox() + " (2 partitions, replication 1, delete)");
        try (Admin admin = harness.admin()) {
            assertThat(admin.describeTopics(List.of(harness.topics.outbox())).allTopicNames().get()
                    .get(harness.topics.outbox()).partitions()).hasSize(2);
        }

        Path secret = Files.writeString(dir.resolve("smtp-password"), PASSWORD + "\n");
        CliIT.Result created = run(args("config", "set", "--tenant", "acme", "--set", "enabled=true",
                "--set", "smtpHost=smtp.example.com", "--set", "smtpPort=587", "--set", "startTls=true",
                "--set", "smtpUser=mailer", "--set", "smtpPassword=@" + secret, "--set", "postmaster=noreply@example.com"));
        ok(created);
        assertThat(created.out()).contains("Config of tenant 'acme' published").doesNotContain(PASSWORD);
        assertThat(inForce("acme").smtpPassword().reveal()).isEqualTo(PASSWORD);

        ok(run(args("config", "set", "--tenant", "acme", "--set", "campaignIntervalSeconds=60")));
        MailerConfig afterInterval = inForce("acme");
        assertThat(afterInterval.campaignIntervalSeconds()).isEqualTo(60);
        assertThat(afterInterval.smtpPassword().reveal()).isEqualTo(PASSWORD);

        CliIT.Result invalid = run(args("config", "set", "--tenant", "acme", "--set", "smtpSsl=true"));
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err()).contains("smtpSsl: excludes startTls").contains("nothing was published");

        CliIT.Result json = run(args("config", "get", "--tenant", "acme", "--json"));
        ok(json);
        assertThat(json.out()).doesNotContain("smtpPassword").doesNotContain(PASSWORD).contains("\"smtpUser\" : \"mailer\"");
        Path edited = Files.writeString(dir.resolve("acme.json"),
                json.out().replace("\"campaignIntervalSeconds\" : 60", "\"campaignIntervalSeconds\" : 30"));
        CliIT.Result back = run(args("config", "set", "--tenant", "acme", "--file", edited.toString()));
        ok(back);
        assertThat(back.out()).contains("changed: campaignIntervalSeconds.");
        MailerConfig roundTripped = inForce("acme");
        assertThat(roundTripped.campaignIntervalSeconds()).isEqualTo(30);
        assertThat(roundTripped.smtpPassword().reveal()).isEqualTo(PASSWORD);

        ok(run(args("config", "set", "--tenant", "acme", "--unset", "campaignIntervalSeconds")));
        assertThat(inForce("acme").campaignIntervalSeconds()).isEqualTo(20);

        CliIT.Result history = run(args("config", "history", "--tenant", "acme"));
        ok(history);
        assertThat(history.out()).doesNotContain(PASSWORD).contains("smtpPassword")
                .contains("campaignIntervalSeconds");
        assertThat(history.out().lines().count()).isEqualTo(5); // a header and four versions
    }

    @Test
    void shouldUseTheSecurityPropertiesOfEveryCommand() throws IOException {
        // The broker speaks PLAINTEXT: a client that took security.protocol=SSL can't talk to it.
        CliIT.Result topics = run(args("topics", "create", "-X", "security.protocol=SSL", "--timeout", "3s"));
        assertThat(topics.code()).isEqualTo(1);
        assertThat(topics.err()).contains("cannot reach Kafka at " + harness.bootstrapServers());

        Path ssl = Files.writeString(dir.resolve("ssl.properties"), Files.readString(processConfig)
                + "\nsecurity.protocol=SSL\n");
        CliIT.Result get = run("config", "get", "--tenant", "acme", "--command-config", ssl.toString(), "--timeout", "3s");
        assertThat(get.code()).isEqualTo(1);
        assertThat(get.err()).contains("cannot reach Kafka");
    }

    @Test
    void shouldSendWithTheOptionsOfAMailToolAndManyFromJsonLines() throws Exception {
        ok(run(args("topics", "create")));
        Path pdf = Files.write(dir.resolve("invoice.pdf"), "%PDF-1.4 fake".getBytes(StandardCharsets.US_ASCII));
        Path txt = Files.writeString(dir.resolve("notes.txt"), "notes");
        CliIT.Result sent = runWithStdin("Body from stdin", args("send", "--id", "opt-1", "--tenant", "acme",
                "--to", "bob@example.com", "--cc", "carol@example.com", "--bcc", "dave@example.com",
                "--reply-to", "alice@example.com", "--subject", "Options", "--text", "-", "--attach", pdf.toString(),
                "--attach", txt.toString(), "--header", "X-Campaign=november", "--draft", "--from", "alice@example.com"));
        ok(sent);
        assertThat(sent.out().strip()).isEqualTo("opt-1");

        String lines = MailerHarness.email("jl-1", "") + "\n" + MailerHarness.email("jl-2", "") + "\n\n"
                + MailerHarness.email("jl-3", "") + "\n";
        CliIT.Result many = runWithStdin(lines, args("send", "--file", "-"));
        ok(many);
        assertThat(many.out().lines()).containsExactly("jl-1", "jl-2", "jl-3");

        CliIT.Result oneBad = runWithStdin(MailerHarness.email("jl-4", "") + "\n{\"id\":\"jl-5\"}\n",
                args("send", "--file", "-"));
        assertThat(oneBad.code()).isEqualTo(2);
        assertThat(oneBad.err()).contains("nothing was published").contains("line 2: ");

        MailerHarness.TopicReader outbox = harness.reader(harness.topics.outbox());
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.poll().size() >= 4);
        List<ConsumerRecord<byte[], byte[]>> records = outbox.poll();
        assertThat(records).hasSize(4);
        EmailEvent email = EmailEventJson.parse(records.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("opt-1")).findFirst().orElseThrow().value());
        assertThat(email.cc()).containsExactly("carol@example.com");
        assertThat(email.bcc()).containsExactly("dave@example.com");
        assertThat(email.replyTo()).containsExactly("alice@example.com");
        assertThat(email.text()).isEqualTo("Body from stdin");
        assertThat(email.headers()).containsEntry("X-Campaign", "november");
        assertThat(email.mode()).isEqualTo(Mode.DRAFT);
        assertThat(email.attachments()).extracting(a -> a.filename() + " " + a.contentType())
                .containsExactly("invoice.pdf application/pdf", "notes.txt text/plain");
        assertThat(Base64.getDecoder().decode(email.attachments().get(1).contentBase64())).asString().isEqualTo("notes");
    }

    @Test
    void shouldFollowAnEmailTestAConfigSeeWhatIsPendingAndReplayADeadLetter() throws Exception {
        ok(run(args("topics", "create", "--partitions", "2")));
        harness.withProperty(ProcessSettings.HTTP_PEER_TOKEN, PEER_TOKEN)
                .withProperty(ProcessSettings.CONSOLE_PASSWORD, ADMIN_PASSWORD)
                .withProperty(ProcessSettings.HTTP_MANAGEMENT_PORT, "0").start();
        second = startSecondInstance();

        Path acme = Files.writeString(dir.resolve("acme.json"), MailerHarness.config(smtp.port(), ""));
        ok(run(args("config", "set", "--tenant", "acme", "--file", acme.toString())));
        Path paused = Files.writeString(dir.resolve("paused.json"),
                MailerHarness.config(smtp.port(), "").replace("\"enabled\":true", "\"enabled\":false"));
        ok(run(args("config", "set", "--tenant", "paused", "--file", paused.toString())));

        // Send and wait: SENT, exit 0.
        CliIT.Result sent = run(args("send", "--id", "wf-ok", "--tenant", "acme", "--to", "bob@example.com",
                "--subject", "Hello", "--text", "Hi", "--wait", "--timeout", "60s"));
        ok(sent);
        assertThat(sent.out().strip()).isEqualTo("wf-ok");
        assertThat(sent.err()).contains("wf-ok: SENT");

        // Refused for good: DEAD_LETTERED with the server's reason, exit 1.
        smtp.replyToRecipient("bounce@example.com", 550);
        CliIT.Result bounced = run(args("send", "--id", "wf-bounce", "--tenant", "acme", "--to", "bounce@example.com",
                "--subject", "Bounce", "--text", "Hi", "--wait", "--timeout", "60s"));
        assertThat(bounced.code()).as(bounced.err()).isEqualTo(1);
        assertThat(bounced.err()).contains("wf-bounce: DEAD_LETTERED").contains("550");

        // The latest status, from the mailer's store (it reads the topic a moment after the status was written).
        String url = "http://127.0.0.1:" + harness.app().httpPort();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            CliIT.Result status = run(args("status", "--id", "wf-bounce", "--tenant", "acme", "--url", url, "--token", PEER_TOKEN));
            ok(status);
            assertThat(status.out()).contains("DEAD_LETTERED").contains("550");
        });
        assertThat(run(args("status", "--id", "wf-bounce", "--follow", "--url", url, "--token", PEER_TOKEN)).code()).isEqualTo(1);
        CliIT.Result nobody = run(args("status", "--id", "nobody", "--url", url, "--token", PEER_TOKEN));
        assertThat(nobody.code()).isEqualTo(1);
        assertThat(nobody.err()).contains("no status for email 'nobody'");

        // Pending: the paused tenant's emails wait; every instance answers for its part.
        ok(run(args("send", "--id", "wf-p1", "--tenant", "paused", "--to", "bob@example.com", "--subject", "P", "--text", "p")));
        ok(run(args("send", "--id", "wf-p2", "--tenant", "paused", "--to", "bob@example.com", "--subject", "P", "--text", "p")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            CliIT.Result pending = run("pending", "--url", url, "--token", PEER_TOKEN);
            ok(pending);
            assertThat(pending.out()).containsPattern("paused\\s+2\\s+0\\s+\\d+ s").contains("2 instance(s)");
        });
        // Without the token or a console session, /api/pending says only that it exists.
        HttpClient http = HttpClient.newHttpClient();
        URI api = URI.create(url + "/api/pending");
        HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).isEqualTo("unauthorized\n");
        assertThat(http.send(HttpRequest.newBuilder(api).header("Authorization", "Bearer not-" + PEER_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        CliIT.Result refused = run("pending", "--url", url, "--token", "not-" + PEER_TOKEN);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 401").doesNotContain(PEER_TOKEN);
        // The console's session passes too.
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(url + "/console/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(204);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(api).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("\"paused\"");
        // The probes on the management port as well.
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.app().managementPort()
                + "/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        // Test a config: every step, and a real test email.
        CliIT.Result test = run(args("config", "test", "--tenant", "acme", "--send-to", "carol@example.com"));
        ok(test);
        assertThat(test.out()).contains("ok   DNS").contains("ok   CONNECT").contains("ok   AUTH")
                .contains("ok   SEND      to carol@example.com: accepted: 250").contains("The config works.");
        Path closed = Files.writeString(dir.resolve("closed.json"), MailerHarness.config(1, ""));
        CliIT.Result failing = run(args("config", "test", "--file", closed.toString(), "--timeout", "3s"));
        assertThat(failing.code()).isEqualTo(1);
        assertThat(failing.out()).contains("FAIL CONNECT");
        assertThat(failing.err()).contains("config test failed at CONNECT");

        // The dead letter: listed, shown as the original event, replayed once the cause is fixed.
        CliIT.Result list = run(args("dlq", "list", "--since", "1h", "--limit", "10"));
        ok(list);
        assertThat(list.out()).contains("wf-bounce").contains("PERMANENT").contains("550");
        CliIT.Result show = run(args("dlq", "show", "--id", "wf-bounce"));
        ok(show);
        assertThat(EmailEventJson.parse(show.out().getBytes(StandardCharsets.UTF_8)).id()).isEqualTo("wf-bounce");
        assertThat(show.err()).contains("kind:          PERMANENT");
        CliIT.Result dry = run(args("dlq", "replay", "--id", "wf-bounce", "--dry-run"));
        ok(dry);
        assertThat(dry.out()).contains("1 dead letter(s) would be replayed").contains("nothing was published");

        smtp.reset();
        CliIT.Result replay = run(args("dlq", "replay", "--id", "wf-bounce"));
        ok(replay);
        assertThat(replay.out()).contains("Replayed 1 dead letter(s)");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(run(args("status", "--id", "wf-bounce", "--url", url, "--token", PEER_TOKEN)).out()).contains("SENT"));
        // Following it now: the latest status (SENT) ends it at once, exit 0; the old DEAD_LETTERED is history,
        // which --history reads from the topic.
        CliIT.Result followed = run(args("status", "--id", "wf-bounce", "--follow", "--url", url, "--token", PEER_TOKEN));
        ok(followed);
        assertThat(followed.out()).contains("SENT").doesNotContain("DEAD_LETTERED");
        CliIT.Result history = run(args("status", "--id", "wf-bounce", "--history", "--follow"));
        ok(history);
        assertThat(history.out()).contains("DEAD_LETTERED").contains("SENT");
        CliIT.Result marked = run(args("dlq", "list"));
        assertThat(marked.out().lines().filter(l -> l.startsWith("wf-bounce"))).singleElement().asString()
                .contains(" yes ");
        CliIT.Result again = run(args("dlq", "replay", "--all"));
        ok(again);
        assertThat(again.out()).contains("Replayed 0 dead letter(s)");
        assertThat(again.err()).contains("1 dead letter(s) skipped: their email was SENT later");
    }

    @Test
    void shouldNotLetARecordRewriteTheTerminal() throws Exception {
        ok(run(args("topics", "create")));
        var headers = DeadLetters.headers(new RecordHeaders(), DeadLetterKind.INVALID,
                "value: \u001b]0;owned\u0007\u001b[2J bad", 0, null, "x/0/1");
        harness.send(harness.topics.dlq(), "evil-\u001b[31m".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(Map.of(
                "bootstrap.servers", harness.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(harness.topics.dlq(), null, "evil-2\u001b[1m".getBytes(StandardCharsets.UTF_8),
                    "{}".getBytes(StandardCharsets.UTF_8), headers)).get();
        }
        CliIT.Result list = run(args("dlq", "list"));
        ok(list);
        assertThat(list.out()).doesNotContain("\u001b").doesNotContain("\u0007").contains("evil-?[31m")
                .contains("value: ?]0;owned??[2J bad");
    }

    private MailerApp startSecondInstance() throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(processConfig)) {
            p.load(in);
        }
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-2").toString());
        p.setProperty(ProcessSettings.HTTP_PORT, "0");
        p.setProperty(ProcessSettings.HTTP_PEER_TOKEN, PEER_TOKEN);
        MailerApp app = new MailerApp(ProcessSettings.of(p), MailerApp.prometheusMetrics(), Clock.systemUTC(),
                MailerApp.defaultTransport(ProcessSettings.of(p), Clock.systemUTC()));
        app.start();
        return app;
    }
}
