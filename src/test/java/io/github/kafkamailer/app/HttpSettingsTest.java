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

/** The management port and the peers' token: flag, then environment, then file, then default. */
class HttpSettingsTest {
    @TempDir
    Path dir;

    @Test
    void shouldLeaveTheManagementPortOffUnlessSet() throws IOException {
        assertThat(ProcessSettings.load(null, false, Map.of(), Map.of()).managementPort()).isEqualTo(-1);
        Path f = Files.writeString(dir.resolve("mailer.properties"), "mailer.http.management.port=9091\n");
        assertThat(ProcessSettings.load(f, true, Map.of(), Map.of()).managementPort()).isEqualTo(9091);
        Map<String, String> env = Map.of("MAILER_HTTP_MANAGEMENT_PORT", "8081");
        assertThat(ProcessSettings.load(f, true, Map.of(), env).managementPort()).isEqualTo(8081);
        assertThat(ProcessSettings.load(f, true, Map.of(ProcessSettings.HTTP_MANAGEMENT_PORT, "0"), env)
                .managementPort()).isZero();
        ProcessSettings bad = ProcessSettings.load(null, false, Map.of(), Map.of("MAILER_HTTP_MANAGEMENT_PORT", "x"));
        assertThatThrownBy(bad::managementPort).hasMessageContaining("mailer.http.management.port")
                .hasMessageContaining("MAILER_HTTP_MANAGEMENT_PORT").hasMessageContaining("--management-port");
    }

    @Test
    void shouldTakeThePeerTokenFromTheEnvironmentOverTheFile() throws IOException {
        assertThat(ProcessSettings.load(null, false, Map.of(), Map.of()).peerToken()).isEmpty();
        Path f = Files.writeString(dir.resolve("mailer.properties"), "mailer.http.peer.token=from-the-file-0123456789\n");
        assertThat(ProcessSettings.load(f, true, Map.of(), Map.of()).peerToken()).contains("from-the-file-0123456789");
        assertThat(ProcessSettings.load(f, true, Map.of(), Map.of("MAILER_HTTP_PEER_TOKEN", "from-the-env-0123456789"))
                .peerToken()).contains("from-the-env-0123456789");
        assertThat(ProcessSettings.of(new java.util.Properties()).kafkaProperties()).isEmpty();
        assertThat(ProcessSettings.load(f, true, Map.of(), Map.of()).kafkaProperties()).isEmpty();
    }

    @Test
    void shouldRefuseAShortPeerTokenWithoutQuotingIt() throws IOException {
        Path f = Files.writeString(dir.resolve("mailer.properties"), "mailer.http.peer.token=hunter2\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(new String[] {"run", "--config", f.toString(), "--bootstrap-servers", "127.0.0.1:1"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.http.peer.token").contains("at least 16 characters")
                .doesNotContain("hunter2");
        assertThat(out.toString()).doesNotContain("hunter2");
    }

    @Test
    void shouldRefuseABadManagementPortFlagBeforeTouchingKafka() {
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(new String[] {"run", "--management-port", "70000", "--bootstrap-servers",
                "127.0.0.1:1"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("mailer.http.management.port").contains("'70000'");
    }
}
