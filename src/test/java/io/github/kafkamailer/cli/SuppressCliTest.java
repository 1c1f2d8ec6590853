package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code mailer suppress} without a broker: help, and bad usage refused before anything is published. */
class SuppressCliTest {
    @ParameterizedTest
    @ValueSource(strings = {"suppress", "suppress add", "suppress remove", "suppress list"})
    void shouldPrintHelpWithKafkasClientOptions(String command) {
        CliTest.Result r = CliTest.run((command + " --help").split(" "));
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: mailer " + command);
        if (!command.equals("suppress")) {
            assertThat(r.out().replaceAll("\\s+", " ")).contains("-b, --bootstrap-server, --bootstrap-servers=HOST:PORT")
                    .contains("--command-config=FILE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "suppress|a subcommand is required: add, remove or list",
            "suppress add --address bob@example.com|Missing required option: '--tenant=T'",
            "suppress add --tenant acme|Missing required option: '--address=A'",
            "suppress add --tenant acme --address bob@example.com --reason BORED|expected one of [UNSUBSCRIBED, BOUNCED, COMPLAINED, MANUAL]",
            "suppress add --tenant acme --address not-an-address -b 127.0.0.1:1|address: is not an address",
            "suppress remove --tenant acme --address a@b@c -b 127.0.0.1:1|address:",
            "suppress remove --address bob@example.com|Missing required option: '--tenant=T'"})
    void shouldExitTwoWithTheReasonOnBadUsage(String caseLine) {
        String[] parts = caseLine.split("\\|");
        CliTest.Result r = CliTest.run(parts[0].split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(parts[1]);
    }
}
