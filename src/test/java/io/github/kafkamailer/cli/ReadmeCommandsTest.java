package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every command line of the README's code blocks is one the CLI accepts: options that exist, values that
 * convert, required ones present. (The integration tests run the newcomer's path itself.)
 */
class ReadmeCommandsTest {
    @TestFactory
    Stream<DynamicTest> everyCommandOfTheReadmeParses() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        List<DynamicTest> tests = new ArrayList<>();
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            StringBuilder command = new StringBuilder(line.strip());
            int at = i + 1;
            while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines.get(++i).strip());
            }
            String args = argumentsOf(command.toString());
            if (args != null) {
                tests.add(DynamicTest.dynamicTest("README.md:" + at + ": mailer " + args, () ->
                        assertThatCode(() -> new CommandLine(new MailerCli()).parseArgs(split(args)))
                                .doesNotThrowAnyException()));
            }
        }
        return tests.stream();
    }

    /** What follows the program in a mailer command line; null for any other line. */
    private static String argumentsOf(String line) {
        String rest;
        if (line.startsWith("java -jar target/mailer.jar ")) {
            rest = line.substring("java -jar target/mailer.jar ".length());
        } else if (line.startsWith("$ mailer ")) {
            rest = line.substring("$ mailer ".length());
        } else if (line.startsWith("./mailer ")) {
            rest = line.substring("./mailer ".length());
        } else {
            return null;
        }
        if (rest.contains("[")) {
            return null; // a synopsis with optional parts, not a command line
        }
        int comment = rest.indexOf(" #");
        rest = comment < 0 ? rest : rest.substring(0, comment);
        // Shell redirections are the shell's, not the command's.
        return rest.replaceAll("\\s[<>]\\s*\\S+", "").strip();
    }

    /** Words as a POSIX shell splits them, for the quoting the README uses. */
    private static String[] split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out.toArray(String[]::new);
    }
}
