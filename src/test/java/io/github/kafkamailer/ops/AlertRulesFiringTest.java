package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules run by Prometheus's own rule engine: {@code promtool test rules config/alerts.test.yml} feeds
 * them series minute by minute and checks which alerts fire when, with their labels and annotations. promtool
 * comes with Debian's {@code prometheus} package, which {@code ./run-tests} installs; on a developer's machine
 * without it the test is skipped (see {@link Promtool}).
 */
class AlertRulesFiringTest {
    private static Promtool promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = Promtool.requireOrSkip();
    }

    @Test
    void shouldLoadTheRulesAsPrometheusDoes() throws Exception {
        Promtool.Result r = promtool.run("check", "rules", Path.of("config", "alerts.yml").toString());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + AlertRulesTest.rules().size() + " rules found");
    }

    @Test
    void shouldFireEachAlertWhenItsTestSaysAndOnlyThen() throws Exception {
        Promtool.Result r = promtool.run("test", "rules", Path.of("config", "alerts.test.yml").toString());
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
            Promtool.Result r = promtool.run("test", "rules", dir.resolve("alerts.test.yml").toString());
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
