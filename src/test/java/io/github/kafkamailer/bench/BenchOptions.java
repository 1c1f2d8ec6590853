package io.github.kafkamailer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The benchmark's command line, parsed once; a bad one is refused with its reason (exit 2). */
record BenchOptions(int emails, int rounds, Set<Contender> only, int latencyRate, int latencySeconds,
                    boolean latency, boolean profile, Path workDir, boolean keep, Path jar, List<String> mailerJavaOpts,
                    boolean help, int held, int priority, boolean template, List<String> mailerProperties) {

    static final String USAGE = """
            Usage: bench/run-benchmark.sh [OPTIONS]

            Runs the mailer against reference senders on one in-process Kafka broker and one local SMTP sink,
            each contender in its own JVM, several rounds interleaved; prints the medians and the ratios that
            issues 8 and 17 set as targets. Not part of the test suite. Warnings of the broker and the publisher
            go to target/bench/benchmark.log; each contender's output to out.log in its run directory (--keep).

            Contenders:
              MAILER-1, MAILER-4  java -jar target/mailer.jar run, campaignIntervalSeconds 1, smtpConnections 1 / 4
              POOLED-1, POOLED-4  a careful hand-written service: one KafkaConsumer, 1 / 4 threads each reusing one
                                  SMTP connection, a poll's emails dealt over them, commitSync once they are sent
              LIMIT-1, LIMIT-4    a plain Angus Mail client: prebuilt messages over 1 / 4 reused connections, no Kafka
              NAIVE               a KafkaConsumer loop with Transport.send per email (a new connection each)

            Options:
              --emails N            emails per contender run (default 20000, about 2 KB each)
              --rounds R            rounds, each running every chosen contender once (default 2)
              --only A,B,...        only these contenders (names above or M1, M4, P1, P4, L1, L4;
                                    case-insensitive)
              --latency-rate R      emails per second of the latency phase (default 50)
              --latency-seconds S   length of the latency phase (default 20)
              --no-latency          skip the latency phase
              --profile             also run MAILER-4 once under JFR and print where its CPU goes
              --work-dir DIR        where the broker, the contenders' state and logs go (default target/bench)
              --keep                keep the work directory (logs, GC logs, the JFR recording) afterwards
              --jar PATH            the mailer's jar (default target/mailer.jar)
              --mailer-java-opts "OPTS"  extra JVM options of the MAILER runs only (to try a flag or a property)
              --mailer-property K=V  a process setting of the MAILER runs (repeatable; a Kafka Streams one
                                    such as num.stream.threads=2, or a mailer.* one)
              --held N              instead of the contest: N emails held by a mailer at -Xmx512m with its tenant
                                    disabled, then enabled and drained (4 connections); prints intake and drain
                                    rates, peak heap and RSS, errors and rebalances (issue 8: a million pending)
              --priority N          instead of the contest: N normal emails published to MAILER-4 and, while
                                    they drain, HIGH ones (priority lane; ids bench-prio-high-<seq>) at 5 per
                                    second; prints p50/p99/max publish-to-accepted of the HIGH emails beside
                                    the normal ones' and the drain's emails/s (issue 18: N = 20000)
              --template            instead of the contest: each chosen MAILER contender (default both) runs
                                    every round twice, with plain emails and with the same emails as a
                                    template and data (issue 19: the templated rate within 10 % of the
                                    plain one); prints both rates side by side
              -h, --help            this help
            """;

    static BenchOptions parse(String[] args) {
        int emails = 20_000;
        int rounds = 2;
        Set<Contender> only = new LinkedHashSet<>(List.of(Contender.values()));
        int rate = 50;
        int seconds = 20;
        boolean latency = true;
        boolean profile = false;
        Path workDir = Path.of("target", "bench");
        boolean keep = false;
        Path jar = Path.of("target", "mailer.jar");
        List<String> mailerJavaOpts = List.of();
        int held = 0;
        int priority = 0;
        boolean template = false;
        List<String> mailerProperties = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return new BenchOptions(emails, rounds, only, rate, seconds, latency, profile, workDir, keep,
                            jar, mailerJavaOpts, true, held, priority, template, mailerProperties);
                }
                case "--emails" -> emails = positive(a, value(args, ++i, a));
                case "--rounds" -> rounds = positive(a, value(args, ++i, a));
                case "--only" -> only = contenders(value(args, ++i, a));
                case "--latency-rate" -> rate = positive(a, value(args, ++i, a));
                case "--latency-seconds" -> seconds = positive(a, value(args, ++i, a));
                case "--no-latency" -> latency = false;
                case "--profile" -> profile = true;
                case "--work-dir" -> workDir = Path.of(value(args, ++i, a));
                case "--keep" -> keep = true;
                case "--jar" -> jar = Path.of(value(args, ++i, a));
                case "--mailer-java-opts" -> mailerJavaOpts = List.of(value(args, ++i, a).trim().split("\\s+"));
                case "--held" -> held = positive(a, value(args, ++i, a));
                case "--priority" -> priority = positive(a, value(args, ++i, a));
                case "--template" -> template = true;
                case "--mailer-property" -> mailerProperties.add(property(a, value(args, ++i, a)));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return new BenchOptions(emails, rounds, only, rate, seconds, latency, profile, workDir, keep, jar,
                mailerJavaOpts, false, held, priority, template,
                List.copyOf(mailerProperties));
    }

    private static String property(String option, String v) {
        int eq = v.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException(option + " needs KEY=VALUE, got '" + v + "'");
        }
        return v;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, not " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'");
        }
    }

    private static Set<Contender> contenders(String list) {
        Set<Contender> out = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.strip().toUpperCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            Contender c = Contender.byName(n);
            if (c == null) {
                unknown.add(name.strip());
            } else {
                out.add(c);
            }
        }
        if (!unknown.isEmpty() || out.isEmpty()) {
            throw new IllegalArgumentException("--only takes names among " + Contender.names() + ", not '" + list + "'");
        }
        // Always in the documented order, whatever order they were given in.
        Set<Contender> ordered = new LinkedHashSet<>();
        for (Contender c : Contender.values()) {
            if (out.contains(c)) {
                ordered.add(c);
            }
        }
        return ordered;
    }
}
