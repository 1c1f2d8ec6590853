package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config set} on a file that is not JSON: exit 2 with where it broke, never what it holds. */
class ConfigParseErrorCliTest {
    @TempDir
    Path dir;

    @Test
    void shouldExitTwoWithoutEchoingAnUnquotedPassword() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"enabled\":true,\"smtpHost\":\"h\",\"smtpPassword\":hunter2}");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(new String[] {"config", "set", "--file", bad.toString(), "--check"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("is not valid JSON").contains("line 1, column")
                .doesNotContain("hunter2");
        assertThat(out.toString()).doesNotContain("hunter2");
    }
}
