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
    void shouldPutPriorityAndUnsubscribeFromFlagsIntoTheEvent() {
        Result badPriority = run("send", "--to", "bob@example.com", "--subject", "s", "--text", "t",
                "--priority", "URGENT", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(badPriority.code()).isEqualTo(2);
        assertThat(badPriority.err()).contains("--priority").contains("HIGH");

        Result plainHttp = run("send", "--to", "bob@example.com", "--subject", "s", "--text", "t",
                "--priority", "HIGH", "--unsubscribe", "http://example.com/leave", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(plainHttp.code()).isEqualTo(2);
        assertThat(plainHttp.err()).contains("unsubscribe").contains("nothing was published");

        Result ownForTwo = run("send", "--to", "bob@example.com", "--to", "carol@example.com", "--subject", "s",
                "--text", "t", "--unsubscribe", "mailer", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(ownForTwo.code()).isEqualTo(2);
        assertThat(ownForTwo.err()).contains("unsubscribe").contains("nothing was published");
    }

    @Test
    void shouldRequireABodyWhenSendingFromFlags() {
        Result r = run("send", "--to", "bob@example.com", "--subject", "s", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("text: at least one of text and html is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "config get", "config set", "dlq list", "status", "topics create", "run"})
    void shouldStateThePrecedenceOfTheBootstrapServersInTheHelp(String command) {
        Result r = run((command + " --help").split(" "));
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(help).contains("-b, --bootstrap-server, --bootstrap-servers=HOST:PORT")
                .contains("Precedence: this flag, then $KAFKA_BOOTSTRAP_SERVERS, then bootstrap.")
                .contains("--command-config=FILE").contains("-X=KEY=VALUE").contains("--timeout=DURATION");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "status|Missing required option: '--id=ID'",
            "config set --tenant acme|give --file, or fields to change with --set / --unset",
            "dlq list --limit 0|--limit must be at least 1",
            "dlq list --kind BAD|--kind must be one of INVALID, PERMANENT, EXPIRED",
            "dlq list --since yesterday|is neither an instant",
            "dlq list --follow --json|--follow and --json don't go together",
            "dlq replay|Missing required argument",
            "dlq show|Missing required option: '--id=ID'",
            "send --to a@example.com --subject s --text t --timeout soon|'soon' is not a duration",
            "pending --url ftp:nowhere|--url must be an http(s) URL",
            "topics create --partitions 0|must be a positive number or -1",
            "config|a subcommand is required"})
    void shouldExitTwoWithTheReasonOnBadUsage(String caseLine) {
        String[] parts = caseLine.split("\\|");
        Result r = run(parts[0].split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(parts[1]);
    }

    @Test
    void shouldWarnWhenCredentialsWouldTravelInClearText() throws IOException {
        Path clear = dir.resolve("clear.json");
        Files.writeString(clear, "{\"enabled\":true,\"smtpHost\":\"smtp.example.com\",\"smtpPort\":25,"
                + "\"smtpUser\":\"mailer\",\"smtpPassword\":\"pw-123\",\"postmaster\":\"noreply@example.com\"}");
        Result r = run("config", "set", "--file", clear.toString(), "--check");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("warning: the SMTP password of mailer would travel in clear text to"
                + " smtp.example.com:25").doesNotContain("pw-123");

        Path tls = dir.resolve("tls.json");
        Files.writeString(tls, Files.readString(clear).replace("\"smtpPort\":25", "\"smtpPort\":587,\"startTls\":true"));
        Result quiet = run("config", "set", "--file", tls.toString(), "--check");
        assertThat(quiet.code()).isZero();
        assertThat(quiet.err()).doesNotContain("warning");
    }

    @Test
    void shouldCheckARecordThatLeavesOutItsSecretsOffline() throws IOException {
        Path noSecret = dir.resolve("no-secret.json");
        Files.writeString(noSecret, "{\"useGraphApi\":true,\"tenantId\":\"t\",\"clientId\":\"c\","
                + "\"postmaster\":\"noreply@example.com\"}");
        Result r = run("config", "set", "--file", noSecret.toString(), "--check", "-b", "127.0.0.1:1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("leaves out smtpPassword, clientSecret").contains("bounceImapPassword")
                .contains("fallbackSmtpPassword")
                .contains(": publishing keeps the tenant's");
    }
}
