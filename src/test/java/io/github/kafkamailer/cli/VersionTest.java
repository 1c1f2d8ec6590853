package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --version} run from classes (no jar manifest, as here): the version Maven wrote into
 * mailer-version.properties, which is pom.xml's. PackagingIT checks the jar's (its manifest).
 */
class VersionTest {
    /** pom.xml's own version: the first {@code <version>} after the project's artifactId. */
    static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>kafka-mailer</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).as("the project's version in pom.xml").isTrue();
        return m.group(1);
    }

    /** Every command of the tree, as the words one types (the root as ""), but picocli's own {@code help}. */
    static Stream<String> everyCommand() {
        List<String> paths = new ArrayList<>();
        collect(new CommandLine(new MailerCli()), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine cli, String path, List<String> paths) {
        paths.add(path);
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                collect(sub, (path + " " + name).trim(), paths);
            }
        });
    }

    private static CliTest.Result run(String command, String option) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add(option);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliTest.Result(code, out.toString(), err.toString());
    }

    @Test
    void shouldBeThePomsVersionAndTheOneThisReleaseNames() throws IOException {
        assertThat(Version.current()).isEqualTo(pomVersion()).isEqualTo("0.2.0");
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void shouldPrintTheVersionOnEveryCommand(String command) throws IOException {
        CliTest.Result r = run(command, "--version");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).isEqualTo("mailer " + pomVersion());
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void shouldPrintHelpOnEveryCommand(String command) {
        CliTest.Result r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: mailer" + (command.isEmpty() ? "" : " " + command));
    }
}
