package io.github.kafkamailer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ratios printed at the end of a benchmark: issue 8's (LIMIT, NAIVE) and issue 17's (POOLED). */
class BenchReportTest {
    private static final int EMAILS = 1001;

    @Test
    void shouldPrintTheMailerAgainstPooledFromStartSteadyCpuAndFirstEmail() {
        String report = targets(List.of(
                // steady 1000 / (11 - 1) = 100/s, from start 1001 / 11 = 91/s, CPU 1.0 s per 1,000
                run(Contender.POOLED_1, 1.0, 11.0, 1.001),
                run(Contender.POOLED_4, 0.5, 5.5, 1.001),
                // half of POOLED's rates, 1.5 times its CPU
                run(Contender.MAILER_1, 2.0, 22.0, 1.5015),
                // faster than POOLED-4 from start and steady, as much CPU
                run(Contender.MAILER_4, 0.4, 5.4, 1.001)));

        assertThat(line(report, "MAILER-1 / POOLED-1, steady")).contains("0.50").contains("target >= 1.0: MISSED");
        assertThat(line(report, "MAILER-1 / POOLED-1, start")).contains("0.50").contains("MISSED");
        assertThat(line(report, "MAILER-4 / POOLED-4, steady")).contains("1.00").contains("met");
        assertThat(line(report, "MAILER-4 / POOLED-4, start")).contains("1.02").contains("met");
        assertThat(line(report, "CPU per email MAILER-1 / POOLED-1")).contains("1.50").contains("target <= 1.0: MISSED");
        assertThat(line(report, "CPU per email MAILER-4 / POOLED-4")).contains("1.00").contains("met");
        assertThat(report).contains("first email, MAILER-1").contains("target <= 3 s: met");
        assertThat(line(report, "first email, POOLED-4")).contains("0.5 s").doesNotContain("target");
    }

    @Test
    void shouldLeaveThePooledTargetsOutWithoutAPooledRun() {
        String report = targets(List.of(run(Contender.MAILER_4, 1.0, 11.0, 1.0),
                run(Contender.NAIVE, 1.0, 21.0, 1.0)));

        assertThat(report).contains("MAILER-4 / NAIVE, steady").doesNotContain("POOLED").doesNotContain("issue 17");
    }

    @Test
    void shouldPrintTheHighEmailsLatencyBesideTheNormalOnesAndTheDrainRate() {
        List<Long> high = new java.util.ArrayList<>();
        for (long ms = 1; ms <= 100; ms++) {
            high.add(ms * 10);
        }
        // 3 normal emails of 4 accepted, over 2 s: 1.5 emails/s
        PriorityResult r = new PriorityResult(4, List.of(2000L, 1000L, 3000L), 100, high, 2.0, 5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new BenchReport(new PrintStream(bytes, true, StandardCharsets.UTF_8), BenchOptions.parse(new String[0]))
                .priority(r);
        String report = bytes.toString(StandardCharsets.UTF_8);

        assertThat(report).contains("4 normal emails").contains("HIGH ones at 5/s");
        assertThat(line(report, "HIGH").split("\\s+")).containsExactly("HIGH", "500", "990", "1000", "100/100");
        assertThat(line(report, "normal ").split("\\s+")).containsExactly("normal", "2000", "3000", "3000", "3/4");
        assertThat(line(report, "Drain:")).contains("3 normal emails in 2.0 s, 2 emails/s");
        assertThat(r.complete()).isFalse();
    }

    private static RunResult run(Contender c, double first, double last, double cpu) {
        return new RunResult(c, 1, EMAILS, EMAILS, 0, c.connections, first, last, 0.1, cpu, 1024, 1024, true);
    }

    private static String targets(List<RunResult> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new BenchReport(out, BenchOptions.parse(new String[0])).targets(results);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String line(String report, String name) {
        return Arrays.stream(report.split("\n")).filter(l -> l.strip().startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + name + "' in:\n" + report));
    }
}
