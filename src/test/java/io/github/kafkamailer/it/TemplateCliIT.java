package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.MailerSettings;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.model.Template;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailer template} against a real broker: set, get, list, preview the one in force, delete. */
class TemplateCliIT {
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
                "mailer.topic.status=" + harness.topics.status(),
                MailerSettings.TOPIC_TEMPLATES + "=" + harness.topics.templates(),
                MailerSettings.TOPIC_SUPPRESSIONS + "=" + harness.topics.suppressions()));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void shouldSetGetListPreviewAndDeleteATemplate() throws IOException {
        assertThat(run("topics", "create").code()).isZero();
        Path file = dir.resolve("invoice.json");
        Files.writeString(file, "{\"subject\":\"Invoice {{number}}\",\"text\":\"Dear {{name}}\","
                + "\"html\":\"<p>Dear {{name}}</p>\"}");
        Result set = run("template", "set", "--tenant", "acme", "--name", "invoice", "--file", file.toString());
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("acme/invoice").contains(harness.topics.templates());

        // A bad version is refused before it is published: the one in force stays.
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"subject\":\"Invoice {{number}}\",\"text\":\"Dear\\n{{#name}}\"}");
        Result refused = run("template", "set", "--tenant", "acme", "--name", "invoice", "--file", bad.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("text, line 2");

        // On the topic: key TENANT/NAME, a value the mailer's rules take.
        MailerHarness.TopicReader topic = harness.reader(harness.topics.templates());
        await().atMost(Duration.ofSeconds(30)).until(() -> !topic.poll().isEmpty());
        List<ConsumerRecord<byte[], byte[]>> records = topic.poll();
        assertThat(records).hasSize(1);
        String key = new String(records.get(0).key(), StandardCharsets.UTF_8);
        assertThat(key).isEqualTo("acme/invoice");
        assertThat(TemplateJson.parse(key, records.get(0).value()))
                .isEqualTo(new Template("acme", "invoice", "Invoice {{number}}", "Dear {{name}}", "<p>Dear {{name}}</p>"));

        Result get = run("template", "get", "--tenant", "acme", "--name", "invoice");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(TemplateJson.parse("acme/invoice", get.out().getBytes(StandardCharsets.UTF_8)).subject())
                .isEqualTo("Invoice {{number}}");
        // What get prints, set takes back.
        Path back = dir.resolve("back.json");
        Files.writeString(back, get.out());
        assertThat(run("template", "set", "--tenant", "acme", "--name", "invoice", "--file", back.toString()).code())
                .isZero();

        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"subject\":\"Reset\",\"text\":\"Click\"}");
        assertThat(run("template", "set", "--tenant", "zeta", "--name", "reset", "--file", other.toString()).code())
                .isZero();
        assertThat(run("template", "list").out()).contains("acme").contains("invoice").contains("text,html")
                .contains("zeta").contains("reset").contains("2 template(s)");
        assertThat(run("template", "list", "--tenant", "acme").out()).contains("1 template(s)")
                .doesNotContain("zeta");

        Path data = dir.resolve("data.json");
        Files.writeString(data, "{\"number\": 7, \"name\": \"<Ann>\"}");
        Result preview = run("template", "preview", "--tenant", "acme", "--name", "invoice", "--data",
                data.toString());
        assertThat(preview.code()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("Subject: Invoice 7").contains("Dear <Ann>").contains("<p>Dear &lt;Ann&gt;</p>");

        Result deleted = run("template", "delete", "--tenant", "acme", "--name", "invoice");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        Result gone = run("template", "get", "--tenant", "acme", "--name", "invoice");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("no template acme/invoice");
        assertThat(run("template", "list").out()).contains("1 template(s)");
    }

    private Result run(String... command) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of("--bootstrap-servers", SharedBroker.bootstrapServers(), "--config", processConfig.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = io.github.kafkamailer.cli.MailerCli.execute(a.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int code, String out, String err) {
    }
}
