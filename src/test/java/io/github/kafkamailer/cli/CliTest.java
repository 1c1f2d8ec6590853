package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as a user meets it, without a broker: help, usage errors and validation. */
class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "demo", "topics", "topics create", "config", "config set", "config get", "config history", "config test", "send", "status", "pending", "dlq", "dlq list", "dlq show",
            "dlq replay"})
    void shouldPrintHelpForEveryCommand(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
        Result r = run(args);
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: mailer" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void shouldExitTwoWithoutACommand() {
        Result r = run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("a command is required").contains("Usage:");
    }

    @Test
    void shouldExitTwoOnAnUnknownOption() {
        Result r = run("send", "--to", "bob@example.com", "--subject", "s", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--bogus");
    }

    @Test
    void shouldExitTwoNamingEveryBadFieldOfAConfigRecord() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"enabled\":true,\"smtpHost\":\"h\",\"smtpPort\":0,\"postmaster\":\"nope\",\"colour\":\"red\"}");
        Result r = run("config", "set", "--tenant", "default", "--file", bad.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("smtpPort: must be between 1 and 65535").contains("postmaster:")
                .contains("colour: unknown field").contains("nothing was published");
    }

    @Test
    void shouldValidateOnlyWithCheck() throws IOException {
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"enabled\":true,\"smtpHost\":\"smtp.example.com\",\"postmaster\":\"noreply@example.com\","
                + "\"smtpPassword\":\"hunter2-secret\"}");
        Result r = run("config", "set", "--file", good.toString(), "--check");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("is valid").doesNotContain("hunter2-secret");
    }

    @Test
    void shouldExitTwoForAMissingFile() {
        Result r = run("config", "set", "--file", dir.resolve("absent.json").toString(), "--check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read");
    }

    @Test
    void shouldExitTwoForAnInvalidEmailWithoutPublishing() {
        Result r = run("send", "--to", "not an address", "--subject", "s", "--text", "t",
                "--bootstrap-servers", "127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("to[0]").contains("nothing was published");
    }

    @Test
    void shouldRequireABodyWhenSendingFromFlags() {
        Result r = run("send", "--to", "bob@example.com", "--subject", "s", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("text: at least one of text and html is required");
    }
}
