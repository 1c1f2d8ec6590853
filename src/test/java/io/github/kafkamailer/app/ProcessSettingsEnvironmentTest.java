package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.cli.MailerCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MAILER_* environment variables a container sets (issue 11, point 7): flag, then environment, then the
 * properties file, then the default.
 */
class ProcessSettingsEnvironmentTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("mailer.properties");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void shouldTakeTheEnvironmentOverTheFileAndTheFlagOverBoth() throws IOException {
        Path f = file("mailer.http.bind=10.0.0.5\nmailer.http.port=9090\nmailer.log.format=text\n");
        Map<String, String> env = Map.of("MAILER_HTTP_BIND", "0.0.0.0", "MAILER_HTTP_PORT", "8181",
                "MAILER_LOG_FORMAT", "json");

        ProcessSettings fromEnv = ProcessSettings.load(f, true, Map.of(), env);
        assertThat(fromEnv.httpBind()).isEqualTo("0.0.0.0");
        assertThat(fromEnv.httpPort()).isEqualTo(8181);
        assertThat(fromEnv.get(LogFormat.KEY, null)).isEqualTo("json");

        ProcessSettings fromFlag = ProcessSettings.load(f, true, Map.of(ProcessSettings.HTTP_PORT, "7070"), env);
        assertThat(fromFlag.httpPort()).isEqualTo(7070);
        assertThat(fromFlag.httpBind()).isEqualTo("0.0.0.0");

        ProcessSettings fromFile = ProcessSettings.load(f, true, Map.of(), Map.of());
        assertThat(fromFile.httpBind()).isEqualTo("10.0.0.5");
        assertThat(fromFile.httpPort()).isEqualTo(9090);
    }

    @Test
    void shouldAdvertiseThePeerAddressTheEnvironmentNames() throws IOException {
        // A StatefulSet's pod names itself through its headless Service: the file's value (or the bind address)
        // would not reach it from another pod.
        Path f = file("bootstrap.servers=unused:9092\napplication.server=from-file:8080\n");
        String stable = "mailer-0.mailer-peers.mail.svc:8080";
        ProcessSettings s = ProcessSettings.load(f, true, Map.of(),
                Map.of(ProcessSettings.APPLICATION_SERVER_ENV, stable));
        assertThat(s.kafkaProperties().getProperty("application.server")).isEqualTo(stable);
        MailerApp app = new MailerApp(s, MailerApp.prometheusMetrics(), java.time.Clock.systemUTC(),
                MailerApp.defaultTransport(s, java.time.Clock.systemUTC()));
        assertThat(app.advertisedHttpAddress()).isEqualTo(stable);

        ProcessSettings fromFile = ProcessSettings.load(f, true, Map.of(), Map.of());
        assertThat(fromFile.get("application.server", null)).isEqualTo("from-file:8080");
    }

    @Test
    void shouldFallBackToTheDefaultsAndIgnoreBlankVariables() {
        ProcessSettings s = ProcessSettings.load(dir.resolve("absent.properties"), false, Map.of(),
                Map.of("MAILER_HTTP_BIND", " ", "MAILER_HTTP_PORT", ""));
        assertThat(s.httpBind()).isEqualTo("127.0.0.1");
        assertThat(s.httpPort()).isEqualTo(8080);
    }

    @Test
    void shouldNameTheSettingAndTheVariableOfABadPort() {
        ProcessSettings s = ProcessSettings.load(null, false, Map.of(), Map.of("MAILER_HTTP_PORT", "eighty"));
        assertThatThrownBy(s::httpPort).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mailer.http.port").hasMessageContaining("MAILER_HTTP_PORT")
                .hasMessageContaining("'eighty'");
        ProcessSettings tooBig = ProcessSettings.load(null, false, Map.of(ProcessSettings.HTTP_PORT, "70000"), Map.of());
        assertThatThrownBy(tooBig::httpPort).hasMessageContaining("'70000'");
    }

    @Test
    void shouldMakeRunExitTwoOnABadPortBeforeTouchingKafka() throws IOException {
        Path f = file("mailer.http.port=eighty\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = MailerCli.execute(new String[] {"run", "--config", f.toString(), "--bootstrap-servers", "127.0.0.1:1"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.http.port").contains("'eighty'");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
