package io.github.kafkamailer.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Prints the benchmark's tables: every run, the medians per contender, the latency phase, the targets. */
final class BenchReport {
    private static final String ROW = "%-9s %6s %10s %10s %8s %9s %9s %8s %8s %6s %5s%n";

    private final PrintStream out;
    private final BenchOptions options;

    BenchReport(PrintStream out, BenchOptions options) {
        this.out = out;
        this.options = options;
    }

    void runs(List<RunResult> results) {
        out.println();
        out.printf("Every run (%,d emails each). Rates in emails/s: from the process's start, and steady (first to last"
                + " email). CPU/1000: user+system seconds of the contender's JVM per 1,000 emails, start-up included;"
                + " sending: the same after the first email. RSS: VmHWM. heap: the largest heap before a GC."
                + " conns: SMTP sessions seen by the sink. dups: emails accepted twice.%n", options.emails());
        header("round");
        for (RunResult r : results) {
            out.printf(ROW, r.contender().label, r.round() + (r.complete() ? "" : "!"), rate(r.rateFromStart()),
                    rate(r.steadyRate()), secs(r.firstSeconds()), secs(r.cpuPerThousand()), secs(r.cpuPerThousandSending()), mb(r.peakRssKb()),
                    mb(r.peakHeapKb()), r.sessions(), r.duplicates());
        }
    }

    void medians(List<RunResult> results) {
        out.println();
        out.println("Medians per contender (! = a run did not deliver everything and is left out)");
        header("runs");
        for (Contender c : Contender.values()) {
            List<RunResult> rs = of(results, c);
            if (rs.isEmpty()) {
                continue;
            }
            out.printf(ROW, c.label, rs.size(), rate(median(rs, RunResult::rateFromStart)),
                    rate(median(rs, RunResult::steadyRate)), secs(median(rs, RunResult::firstSeconds)),
                    secs(median(rs, RunResult::cpuPerThousand)),
                    secs(median(rs, RunResult::cpuPerThousandSending)), mb(median(rs, r -> r.peakRssKb())),
                    mb(median(rs, r -> r.peakHeapKb())), count(median(rs, r -> r.sessions())),
                    count(median(rs, r -> r.duplicates())));
        }
    }

    void latency(Map<Contender, BenchMain.LatencyResult> latency) {
        if (latency.isEmpty()) {
            return;
        }
        out.println();
        out.printf("Publish-to-accepted latency at %d emails/s for %d s (mailer interval 1 s)%n",
                options.latencyRate(), options.latencySeconds());
        out.printf("%-9s %8s %8s %8s %10s%n", "contender", "p50 ms", "p99 ms", "max ms", "delivered");
        latency.forEach((c, l) -> out.printf("%-9s %8d %8d %8d %10s%n", c.label, l.p50(), l.p99(), l.max(),
                l.delivered() + "/" + l.published()));
    }

    /** The priority scenario: HIGH emails' publish-to-accepted beside the normal backlog's, and the drain's rate. */
    void priority(PriorityResult r) {
        out.println();
        out.printf("Priority lane (issue 18): %,d normal emails to MAILER-4 (interval 1 s) and, while they drained, HIGH"
                + " ones at %d/s. Publish-to-accepted:%n", r.normalPublished(), r.highPerSecond());
        out.printf("%-9s %8s %8s %8s %13s%n", "emails", "p50 ms", "p99 ms", "max ms", "delivered");
        latencyRow("HIGH", r.highMillis(), r.highPublished());
        latencyRow("normal", r.normalMillis(), r.normalPublished());
        out.printf("Drain: %,d normal emails in %s s, %s emails/s (first published to last accepted)%n",
                r.normalMillis().size(), Double.isNaN(r.drainSeconds()) ? "n/a" : String.format("%.1f", r.drainSeconds()),
                rate(r.drainRate()));
    }

    private void latencyRow(String name, List<Long> millis, int published) {
        out.printf("%-9s %8d %8d %8d %13s%n", name, PriorityResult.p(millis, 50), PriorityResult.p(millis, 99),
                PriorityResult.max(millis), String.format("%,d/%,d", millis.size(), published));
    }

    /** The ratios issues 8 and 17 set as targets, on the medians (steady: first to last email). */
    void targets(List<RunResult> results) {
        Map<Contender, Double> steady = new EnumMap<>(Contender.class);
        Map<Contender, Double> fromStart = new EnumMap<>(Contender.class);
        Map<Contender, Double> cpu = new EnumMap<>(Contender.class);
        Map<Contender, Double> cpuSending = new EnumMap<>(Contender.class);
        Map<Contender, Double> first = new EnumMap<>(Contender.class);
        for (Contender c : Contender.values()) {
            List<RunResult> rs = of(results, c);
            if (!rs.isEmpty()) {
                steady.put(c, median(rs, RunResult::steadyRate));
                fromStart.put(c, median(rs, RunResult::rateFromStart));
                cpu.put(c, median(rs, RunResult::cpuPerThousand));
                cpuSending.put(c, median(rs, RunResult::cpuPerThousandSending));
                first.put(c, median(rs, RunResult::firstSeconds));
            }
        }
        out.println();
        out.println("Targets (issue 8), on the medians; steady = first to last email, start = from process start");
        ratio("MAILER-1 / LIMIT-1, steady", steady, Contender.MAILER_1, Contender.LIMIT_1, ">=", 0.8);
        ratio("MAILER-1 / LIMIT-1, start", fromStart, Contender.MAILER_1, Contender.LIMIT_1, "", 0);
        ratio("MAILER-4 / LIMIT-4, steady", steady, Contender.MAILER_4, Contender.LIMIT_4, ">=", 0.8);
        ratio("MAILER-4 / LIMIT-4, start", fromStart, Contender.MAILER_4, Contender.LIMIT_4, "", 0);
        ratio("MAILER-4 / NAIVE, steady", steady, Contender.MAILER_4, Contender.NAIVE, ">=", 3);
        ratio("MAILER-4 / NAIVE, start", fromStart, Contender.MAILER_4, Contender.NAIVE, "", 0);
        ratio("CPU per email MAILER-4 / NAIVE", cpu, Contender.MAILER_4, Contender.NAIVE, "<=", 1);
        ratio("  the same once sending", cpuSending, Contender.MAILER_4, Contender.NAIVE, "", 0);
        for (Contender c : List.of(Contender.MAILER_1, Contender.MAILER_4)) {
            firstEmail(first, c, 5);
        }
        pooledTargets(steady, fromStart, cpu, cpuSending, first);
    }

    /**
     * The targets of issue 17, point 4: the mailer at least as fast as the careful hand-written service (POOLED)
     * with as many connections, from start and steady, at no more CPU per email, its first email within 3 s.
     */
    private void pooledTargets(Map<Contender, Double> steady, Map<Contender, Double> fromStart,
                               Map<Contender, Double> cpu, Map<Contender, Double> cpuSending,
                               Map<Contender, Double> first) {
        if (!steady.containsKey(Contender.POOLED_1) && !steady.containsKey(Contender.POOLED_4)) {
            return;
        }
        out.println();
        out.println("Targets (issue 17), on the medians: the mailer against POOLED with as many connections");
        ratio("MAILER-1 / POOLED-1, steady", steady, Contender.MAILER_1, Contender.POOLED_1, ">=", 1);
        ratio("MAILER-1 / POOLED-1, start", fromStart, Contender.MAILER_1, Contender.POOLED_1, ">=", 1);
        ratio("MAILER-4 / POOLED-4, steady", steady, Contender.MAILER_4, Contender.POOLED_4, ">=", 1);
        ratio("MAILER-4 / POOLED-4, start", fromStart, Contender.MAILER_4, Contender.POOLED_4, ">=", 1);
        ratio("CPU per email MAILER-1 / POOLED-1", cpu, Contender.MAILER_1, Contender.POOLED_1, "<=", 1);
        ratio("  the same once sending", cpuSending, Contender.MAILER_1, Contender.POOLED_1, "", 0);
        ratio("CPU per email MAILER-4 / POOLED-4", cpu, Contender.MAILER_4, Contender.POOLED_4, "<=", 1);
        ratio("  the same once sending", cpuSending, Contender.MAILER_4, Contender.POOLED_4, "", 0);
        for (Contender c : List.of(Contender.MAILER_1, Contender.MAILER_4)) {
            firstEmail(first, c, 3);
        }
        for (Contender c : List.of(Contender.POOLED_1, Contender.POOLED_4)) {
            firstEmail(first, c, -1);
        }
    }

    /** The time to a contender's first email; {@code targetSeconds} &lt; 0: no target, shown to compare. */
    private void firstEmail(Map<Contender, Double> first, Contender c, double targetSeconds) {
        Double f = first.get(c);
        if (f == null) {
            return;
        }
        String verdict = targetSeconds < 0 ? ""
                : String.format("   target <= %.0f s: %s", targetSeconds,
                        Double.isNaN(f) ? "n/a" : f <= targetSeconds ? "met" : "MISSED");
        out.printf("  %-34s %7.1f s%s%n", "first email, " + c.label, f, verdict);
    }

    private void ratio(String name, Map<Contender, Double> m, Contender a, Contender b, String op, double target) {
        Double x = m.get(a);
        Double y = m.get(b);
        if (x == null || y == null) {
            return;
        }
        double r = x / y;
        String verdict = "";
        if (!op.isEmpty()) {
            boolean met = op.equals(">=") ? r >= target : r <= target;
            verdict = "   target " + op + " " + target + ": " + (Double.isNaN(r) ? "n/a" : met ? "met" : "MISSED");
        }
        out.printf("  %-34s %7.2f%s%n", name, r, verdict);
    }

    /**
     * Plain against templated (issue 19, point 1): each MAILER contender's medians with plain emails and with the same
     * emails as a template and data, side by side; the target is a templated rate within 10 % of the plain one.
     */
    void templated(List<RunResult> plain, List<RunResult> templated) {
        out.println();
        out.println("Plain against templated emails (issue 19), medians in emails/s; target: templated/plain >= 0.90");
        String row = "%-9s %12s %12s %12s %12s %7s %10s %10s   %s%n";
        out.printf(row, "contender", "plain start", "tmpl start", "plain steady", "tmpl steady", "ratio",
                "CPU plain", "CPU tmpl", "verdict");
        for (Contender c : Contender.values()) {
            List<RunResult> p = of(plain, c);
            List<RunResult> t = of(templated, c);
            if (p.isEmpty() || t.isEmpty()) {
                continue;
            }
            double ps = median(p, RunResult::steadyRate);
            double ts = median(t, RunResult::steadyRate);
            double ratio = ts / ps;
            out.printf(row, c.label, rate(median(p, RunResult::rateFromStart)), rate(median(t, RunResult::rateFromStart)),
                    rate(ps), rate(ts), Double.isNaN(ratio) ? "n/a" : String.format("%.2f", ratio),
                    secs(median(p, RunResult::cpuPerThousandSending)), secs(median(t, RunResult::cpuPerThousandSending)),
                    Double.isNaN(ratio) ? "n/a" : ratio >= 0.90 ? "met" : "MISSED");
        }
    }

    private void header(String second) {
        out.printf(ROW, "contender", second, "from start", "steady", "first s", "CPU/1000", "sending", "RSS MB", "heap MB",
                "conns", "dups");
    }

    private static List<RunResult> of(List<RunResult> results, Contender c) {
        List<RunResult> rs = new ArrayList<>();
        for (RunResult r : results) {
            if (r.contender() == c) {
                rs.add(r);
            }
        }
        return rs;
    }

    private static double median(List<RunResult> rs, ToDoubleFunction<RunResult> f) {
        List<Double> v = new ArrayList<>();
        for (RunResult r : rs) {
            if (r.complete()) {
                v.add(f.applyAsDouble(r));
            }
        }
        return Stats.median(v);
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%,.0f", v);
    }

    private static String secs(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.2f", v);
    }

    private static String mb(double kb) {
        return Double.isNaN(kb) || kb < 0 ? "n/a" : Long.toString(Math.round(kb / 1024.0));
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "n/a" : Long.toString(Math.round(v));
    }
}
