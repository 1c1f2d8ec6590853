package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules run by Prometheus's own rule engine: {@code promtool test rules config/alerts.test.yml} feeds
 * them series minute by minute and checks which alerts fire when, with their labels and annotations. promtool
 * comes with Debian's {@code prometheus} package, which {@code .ci/run} installs; on a developer's machine
 * without it the test is skipped, in CI ({@code CI=true}) it fails rather than pass unseen.
 */
class AlertRulesFiringTest {
    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        Optional<Path> found = onPath("promtool");
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("promtool is not installed: .ci/run installs Debian's prometheus package for it");
        }
        assumeTrue(found.isPresent(),
                "promtool not found on PATH: install it (Debian: apt-get install --no-install-recommends prometheus)"
                        + " to test when the alerts fire");
        promtool = found.get();
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private record Result(int code, String output) {
    }

    private static Result promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool did not finish within 60 s: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    @Test
    void shouldLoadTheRulesAsPrometheusDoes() throws Exception {
        Result r = promtool("check", "rules", Path.of("config", "alerts.yml").toString());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + AlertRulesTest.rules().size() + " rules found");
    }

    @Test
    void shouldFireEachAlertWhenItsTestSaysAndOnlyThen() throws Exception {
        Result r = promtool("test", "rules", Path.of("config", "alerts.test.yml").toString());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void shouldCatchARuleThatFiresAtTheWrongTime() throws Exception {
        // The same tests against a copy of the rules with MailerDown's "for" halved must fail: the check bites.
        Path dir = Files.createTempDirectory("alerts");
        try {
            String rules = Files.readString(Path.of("config", "alerts.yml"));
            assertThat(rules).contains("for: 2m");
            Files.writeString(dir.resolve("alerts.yml"), rules.replaceFirst("for: 2m", "for: 1m"));
            Files.copy(Path.of("config", "alerts.test.yml"), dir.resolve("alerts.test.yml"));
            Result r = promtool("test", "rules", dir.resolve("alerts.test.yml").toString());
            assertThat(r.code()).as(r.output()).isNotZero();
            assertThat(r.output()).contains("alertname: MailerDown");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
