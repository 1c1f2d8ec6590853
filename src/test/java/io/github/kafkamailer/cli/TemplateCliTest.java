package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mailer template} without a broker: help, bad usage and bad templates refused before anything is
 * published (the bootstrap server given is one nobody listens on), and a local preview.
 */
class TemplateCliTest {
    private static final String NOBODY = "127.0.0.1:1";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"template", "template set", "template get", "template list", "template delete",
            "template preview"})
    void shouldPrintHelpWithKafkasClientOptions(String command) {
        CliTest.Result r = CliTest.run((command + " --help").split(" "));
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: mailer " + command);
        if (!command.equals("template")) {
            assertThat(r.out().replaceAll("\\s+", " "))
                    .contains("-b, --bootstrap-server, --bootstrap-servers=HOST:PORT").contains("--command-config=FILE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "template|a subcommand is required: set, get, list, delete or preview",
            "template set --name invoice --file x.json|Missing required option: '--tenant=T'",
            "template set --tenant acme --file x.json|Missing required option: '--name=N'",
            "template set --tenant acme --name invoice|Missing required option: '--file=F'",
            "template set --tenant acme --name invoice --file /nonexistent/t.json|cannot read /nonexistent/t.json",
            "template get --tenant acme|Missing required option: '--name=N'",
            "template delete --tenant acme|Missing required option: '--name=N'",
            "template delete --tenant acme --name a/b -b 127.0.0.1:1|name: must match [A-Za-z0-9._-]{1,100}",
            "template preview --tenant acme|give --tenant and --name (a template in force) or --file"})
    void shouldExitTwoWithTheReasonOnBadUsage(String caseLine) {
        String[] parts = caseLine.split("\\|");
        CliTest.Result r = CliTest.run(parts[0].split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(parts[1]);
    }

    @Test
    void shouldRefuseATemplateThatDoesNotCompileWithItsPartAndLineBeforeAskingKafka() throws IOException {
        Path file = write("bad.json", "{\"subject\":\"Invoice {{number}}\",\"text\":\"Dear {{name}},\\n"
                + "{{#lines}}\\n- {{item}}\\n\"}");
        CliTest.Result r = CliTest.run("template", "set", "--tenant", "acme", "--name", "invoice", "--file",
                file.toString(), "-b", NOBODY, "--timeout", "1s");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("does not compile: text, line 2").doesNotContain("Kafka");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldRefuseARecordThatBreaksTheRulesNamingEachField() throws IOException {
        Path file = write("rules.json", "{\"tenant\":\"other\",\"subject\":\"x\",\"colour\":\"red\"}");
        CliTest.Result r = CliTest.run("template", "set", "--tenant", "acme", "--name", "invoice", "--file",
                file.toString(), "-b", NOBODY, "--timeout", "1s");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("tenant: is 'other' in the record but 'acme' was given");

        file = write("rules2.json", "{\"subject\":\"x\",\"colour\":\"red\"}");
        r = CliTest.run("template", "set", "--tenant", "acme", "--name", "invoice", "--file", file.toString(),
                "-b", NOBODY, "--timeout", "1s");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("colour: is not a field of a template record")
                .contains("text: at least one of text and html is required");
    }

    @Test
    void shouldPreviewAFileLocallyWithHtmlEscapedInTheHtmlAlone() throws IOException {
        Path file = write("invoice.json", "{\"subject\":\"Invoice {{number}}\",\"text\":\"Dear {{customer.name}},\\n"
                + "{{#lines}}- {{item}}\\n{{/lines}}\",\"html\":\"<p>Dear {{customer.name}}</p>\"}");
        Path data = write("data.json", "{\"number\":42,\"customer\":{\"name\":\"Ann & Bob\"},"
                + "\"lines\":[{\"item\":\"tea\"},{\"item\":\"milk\"}]}");
        CliTest.Result r = CliTest.run("template", "preview", "--file", file.toString(), "--data", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Subject: Invoice 42").contains("Dear Ann & Bob,\n- tea\n- milk")
                .contains("<p>Dear Ann &amp; Bob</p>");
    }

    @Test
    void shouldPreviewAWholeRecordAsTemplateGetPrintsIt() throws IOException {
        Path file = write("record.json", "{\"tenant\":\"acme\",\"name\":\"invoice\",\"subject\":\"Invoice {{n}}\","
                + "\"text\":\"t\"}");
        Path data = write("n.json", "{\"n\": 5}");
        CliTest.Result r = CliTest.run("template", "preview", "--file", file.toString(), "--data", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Subject: Invoice 5").contains("--- html ---\n(none)");
    }

    @Test
    void shouldExitTwoWithTheLineOnBadDataOrATemplateThatDoesNotCompile() throws IOException {
        Path file = write("t.json", "{\"subject\":\"Hi\",\"html\":\"<p>\\n{{/nope}}</p>\"}");
        CliTest.Result r = CliTest.run("template", "preview", "--file", file.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("html, line 2");

        Path good = write("good.json", "{\"subject\":\"Hi {{x}}\",\"text\":\"x\"}");
        Path data = write("data.json", "{\"x\": 1,\n\"y\": }");
        r = CliTest.run("template", "preview", "--file", good.toString(), "--data", data.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(data.toString()).contains("line 2");

        Path crlf = write("crlf.json", "{\"subject\":\"Hi {{x}}\",\"text\":\"x\"}");
        Path injected = write("inject.json", "{\"x\":\"a\\r\\nBcc: eve@example.com\"}");
        r = CliTest.run("template", "preview", "--file", crlf.toString(), "--data", injected.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("can't be rendered").contains("subject");
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }
}
