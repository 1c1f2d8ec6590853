package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with bad secret or proxy settings: exit 2 with the reason, before any broker is contacted. */
class RunSettingsTest {
    @TempDir
    Path dir;

    private String[] run(String properties) throws IOException {
        Path config = Files.writeString(dir.resolve("mailer.properties"), properties);
        return new String[] {"run", "--config", config.toString(), "--bootstrap-servers", "127.0.0.1:1"};
    }

    private static int execute(String[] args, StringWriter err) {
        return MailerCli.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void shouldRefuseARelativeSecretFolder() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(execute(run("mailer.secrets.dirs=/run/secrets,secrets\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.secrets.dirs").contains("'secrets' is not an absolute path");
    }

    @Test
    void shouldRefuseAnEmptySecretVariablePrefix() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(execute(run("mailer.secrets.env.prefix=\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.secrets.env.prefix must not be empty");
    }

    @Test
    void shouldRefuseATrustedProxyThatIsNotAnAddress() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(execute(run("mailer.http.trusted.proxies=10.0.0.0/8, proxy.internal\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.http.trusted.proxies: 'proxy.internal' is neither an IP address"
                + " nor a CIDR block");
        err = new StringWriter();
        assertThat(execute(run("mailer.http.trusted.proxies=10.0.0.0/33\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("'10.0.0.0/33': the prefix length must be 0 to 32");
    }

    @Test
    void shouldRefuseAConsoleBasePathWithoutItsSlashes() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(execute(run("mailer.console.base.path=/ops/mail\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.console.base.path must start and end with '/'");
        err = new StringWriter();
        assertThat(execute(run("mailer.console.base.path=/ops/../mail/\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.console.base.path must not contain '.' or '..'");
        err = new StringWriter();
        assertThat(execute(run("mailer.console.base.path=/\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.console.base.path must be one or more names");
        err = new StringWriter();
        assertThat(execute(run("mailer.console.base.path=/metrics/\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.console.base.path must not be one of the mailer's own paths");
    }
    /** Exit 2 well before Kafka is asked (the broker at 127.0.0.1:1 never answers: run would wait for it). */
    private static int refusedAtStart(String[] args, StringWriter err) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> execute(args, err));
    }

    @Test
    void shouldRefuseAnUnknownMailerKeyNamingTheOneItResembles() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(refusedAtStart(run("mailer.htpp.port=9090\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("unknown setting mailer.htpp.port (did you mean mailer.http.port?)");
    }

    @Test
    void shouldRefuseANumberThatIsNotOneNamingTheKey() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(refusedAtStart(run("mailer.tick.ms=fast\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.tick.ms must be at least 1, got 'fast'");
    }

    @Test
    void shouldRefuseABadValueGivenOnTheCommandLine() throws IOException {
        StringWriter err = new StringWriter();
        String[] args = run("");
        String[] withFlag = java.util.Arrays.copyOf(args, args.length + 2);
        withFlag[args.length] = "-X";
        withFlag[args.length + 1] = "mailer.send.max.connections=0";
        assertThat(refusedAtStart(withFlag, err)).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.send.max.connections (MAILER_SEND_MAX_CONNECTIONS) must be at least 1, got '0'");
    }

    @Test
    void shouldNeverPrintTheValueOfAMistypedSecret() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(refusedAtStart(run("mailer.http.peer.tokn=hunter2-hunter2-hunter2\n"), err)).isEqualTo(2);
        assertThat(err.toString()).contains("unknown setting mailer.http.peer.tokn (did you mean mailer.http.peer.token?)")
                .doesNotContain("hunter2");
    }
}
