package io.github.kafkamailer.bench;

import io.github.kafkamailer.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark of issue 8, point 4 (run it with {@code bench/run-benchmark.sh}; {@code --help} says how). In
 * this JVM: an in-process Kafka broker, the {@link SmtpSink} and the publisher. Each contender runs in a child
 * JVM of its own against fresh topics holding the same emails, rounds interleaved; it prints each run, the
 * medians, the ratios the issue sets as targets, and a latency phase at a steady trickle.
 *
 * <p>Not a test: nothing in {@code mvn verify} runs it (no {@code *Test} or {@code *IT} name).
 */
public final class BenchMain {
    /** Warm-up emails of the latency phase, before the trickle that is measured. */
    private static final int WARM_UP = 20;
    /** A contender that accepts nothing more for this long is given up on. */
    private static final Duration STALL = Duration.ofSeconds(90);
    private static final String CONFIG_SUFFIX = ".config";

    private final BenchOptions options;
    private final PrintStream out;
    private final Path workDir;
    private final String classpath;
    private EmbeddedKafkaBroker broker;
    private SmtpSink sink;
    private Admin admin;
    private Path limitEvents;

    private BenchMain(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.workDir = options.workDir().toAbsolutePath()
                .resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        // Absolute, as the children run in directories of their own.
        this.classpath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("run-benchmark: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        if (!Files.isRegularFile(options.jar())) {
            System.err.println("run-benchmark: " + options.jar() + " not found (build it with mvn package)");
            System.exit(2);
        }
        BenchMain bench = new BenchMain(options, System.out);
        int status;
        try {
            status = bench.run();
        } finally {
            bench.close();
        }
        System.exit(status);
    }

    private int run() throws Exception {
        Files.createDirectories(workDir);
        if (options.priority() > 0) {
            out.printf("kafka-mailer benchmark: the priority lane, %,d normal emails and HIGH ones while they drain%n",
                    options.priority());
        } else {
            out.printf("kafka-mailer benchmark: %,d emails per run, %d round(s), contenders %s%n", options.emails(),
                    options.rounds(), labels(options.only()));
        }
        out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadAverage() + " (other processes share these cores: figures move with them)");
        out.println("Work directory: " + workDir);
        if (!options.mailerProperties().isEmpty()) {
            out.println("Extra process settings of the MAILER runs: " + String.join(" ", options.mailerProperties()));
        }
        if (!options.mailerJavaOpts().isEmpty()) {
            out.println("Extra JVM options of the MAILER runs: " + String.join(" ", options.mailerJavaOpts()));
        }
        long t0 = System.nanoTime();
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"));
        sink = SmtpSink.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        out.printf("Broker %s and SMTP sink 127.0.0.1:%d up in %.1f s%n%n", broker.bootstrapServers(), sink.port(),
                seconds(System.nanoTime() - t0));
        if (options.held() > 0) {
            return heldRun(options.held());
        }
        if (options.priority() > 0) {
            return priorityRun(options.priority());
        }
        if (options.template()) {
            return templateRun();
        }
        if (options.only().contains(Contender.LIMIT_1) || options.only().contains(Contender.LIMIT_4)) {
            limitEvents = workDir.resolve("events.jsonl");
            BenchEmails.writeFile(limitEvents, "limit", options.emails());
        }

        List<RunResult> results = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            for (Contender c : options.only()) {
                results.add(throughputRun(c, round));
            }
        }
        Map<Contender, LatencyResult> latency = new EnumMap<>(Contender.class);
        if (options.latency()) {
            for (Contender c : List.of(Contender.MAILER_4, Contender.NAIVE)) {
                if (options.only().contains(c)) {
                    latency.put(c, latencyRun(c));
                }
            }
        }
        Path recording = options.profile() ? profileRun() : null;

        out.println();
        out.println("Load average at the end: " + loadAverage());
        BenchReport report = new BenchReport(out, options);
        report.runs(results);
        report.medians(results);
        report.latency(latency);
        report.targets(results);
        if (recording != null) {
            out.println();
            new JfrHotspots(recording).print(out);
        }
        return results.stream().allMatch(RunResult::complete) ? 0 : 1;
    }

    // ---- one throughput run ------------------------------------------------------------------------------------

    private RunResult throughputRun(Contender c, int round) throws Exception {
        return throughputRun(c, round, false);
    }

    /** @param templated the same emails as a template ({@link BenchEmails#template}) and data; MAILER only */
    private RunResult throughputRun(Contender c, int round, boolean templated) throws Exception {
        String tag = "r" + round + "-" + c.tag + (templated ? "-t" : "");
        Path dir = workDir.resolve(tag);
        Files.createDirectories(dir);
        out.printf("[round %d] %-8s ", round, c.label + (templated ? " templated" : ""));
        out.flush();
        if (c.readsKafka) {
            long t = System.nanoTime();
            createTopics(tag);
            if (templated) {
                publishTemplate(tag);
            }
            load(tag, 0, options.emails(), false, templated);
            out.printf("loaded %,d emails in %.1f s; ", options.emails(), seconds(System.nanoTime() - t));
        }
        SmtpSink.Tally tally = sink.reset();
        ChildJvm child = startContender(c, tag, dir, List.of());
        out.println("started (pid " + child.pid() + ")");
        double[] cpuAtFirst = {-1};
        boolean complete = awaitDistinct(tally, options.emails(), child, c.label, 0,
                () -> cpuAtFirst[0] = child.cpuSeconds());
        ChildJvm.Usage usage = child.usage();
        child.stop(c.isMailer() ? 30 : 5);
        if (!complete) {
            out.println("  " + c.label + " did not deliver everything; last lines of " + child.log() + ":");
            out.println(indent(child.tail(15)));
        }
        RunResult r = new RunResult(c, round, options.emails(), tally.distinct(), tally.duplicates(),
                tally.sessions(), tally.accepted() == 0 ? Double.NaN : seconds(tally.firstNanos() - child.startNanos()),
                tally.accepted() == 0 ? Double.NaN : seconds(tally.lastNanos() - child.startNanos()),
                cpuAtFirst[0], usage.cpuSeconds(), usage.peakRssKb(), usage.peakHeapKb(), complete);
        out.printf("  done: %,.0f emails/s from start, %,.0f/s steady, first after %.1f s, %.2f CPU s per 1,000"
                + " (%.2f once sending)%n", r.rateFromStart(), r.steadyRate(), r.firstSeconds(), r.cpuPerThousand(),
                r.cpuPerThousandSending());
        return r;
    }

    private boolean awaitDistinct(SmtpSink.Tally tally, int count, ChildJvm child, String label, int fromSeq)
            throws InterruptedException {
        return awaitDistinct(tally, count, child, label, fromSeq, () -> { });
    }

    /**
     * Waits until the sink has {@code count} distinct emails from {@code fromSeq} on, printing progress; false if
     * the child died or stalled first. {@code onFirst} runs as soon as the first email is seen.
     */
    private boolean awaitDistinct(SmtpSink.Tally tally, int count, ChildJvm child, String label, int fromSeq,
                                  Runnable onFirst) throws InterruptedException {
        return awaitCount(() -> fromSeq == 0 ? tally.distinct() : tally.distinctFrom(fromSeq), count, child, label,
                onFirst);
    }

    /** As {@link #awaitDistinct}, on any count of accepted emails. */
    private boolean awaitCount(java.util.function.IntSupplier counted, int count, ChildJvm child, String label,
                               Runnable onFirst) throws InterruptedException {
        boolean firstSeen = false;
        long lastChange = System.nanoTime();
        long lastPrint = System.nanoTime();
        int last = 0;
        while (true) {
            int n = counted.getAsInt();
            if (n > 0 && !firstSeen) {
                firstSeen = true;
                onFirst.run();
            }
            if (n >= count) {
                return true;
            }
            long now = System.nanoTime();
            if (n != last) {
                last = n;
                lastChange = now;
            }
            if (!child.isAlive()) {
                out.println("  " + label + " exited early (" + n + "/" + count + ")");
                return false;
            }
            if (now - lastChange > STALL.toNanos()) {
                out.printf("  %s stalled: nothing new for %d s (%,d/%,d)%n", label, STALL.toSeconds(), n, count);
                return false;
            }
            if (now - lastPrint > TimeUnit.SECONDS.toNanos(5)) {
                out.printf("  %s: %,d/%,d accepted, %.0f s since start%n", label, n, count,
                        seconds(now - child.startNanos()));
                lastPrint = now;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private ChildJvm startContender(Contender c, String tag, Path dir, List<String> extraJvmArgs) throws IOException {
        List<String> jvm = new ArrayList<>(extraJvmArgs);
        return switch (c) {
            case MAILER_1, MAILER_4 -> {
                jvm.addAll(options.mailerJavaOpts());
                publishConfig(tag, c.connections);
                Path props = writeMailerProperties(tag, dir);
                yield ChildJvm.start(dir, jvm, List.of("-jar", options.jar().toAbsolutePath().toString(), "run",
                        "--config", props.toString()));
            }
            case LIMIT_1, LIMIT_4 -> ChildJvm.start(dir, jvm, List.of("-cp", classpath,
                    LimitClient.class.getName(), "--events", limitEvents.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(sink.port()), "--connections", Integer.toString(c.connections),
                    "--postmaster", BenchEmails.POSTMASTER));
            case POOLED_1, POOLED_4 -> ChildJvm.start(dir, jvm, List.of("-cp", classpath,
                    PooledConsumer.class.getName(), "--bootstrap-servers", broker.bootstrapServers(), "--topic",
                    outbox(tag), "--group", "bench-" + tag, "--host", "127.0.0.1", "--port",
                    Integer.toString(sink.port()), "--connections", Integer.toString(c.connections),
                    "--postmaster", BenchEmails.POSTMASTER));
            case NAIVE -> ChildJvm.start(dir, jvm, List.of("-cp", classpath, NaiveConsumer.class.getName(),
                    "--bootstrap-servers", broker.bootstrapServers(), "--topic", outbox(tag), "--group",
                    "bench-" + tag, "--host", "127.0.0.1", "--port", Integer.toString(sink.port()),
                    "--postmaster", BenchEmails.POSTMASTER));
        };
    }

    // ---- latency at a steady trickle ---------------------------------------------------------------------------

    /** Publish-to-accepted latency of emails published one by one at a steady rate. */
    record LatencyResult(int published, int delivered, long p50, long p99, long max) {
    }

    private LatencyResult latencyRun(Contender c) throws Exception {
        String tag = "lat-" + c.tag;
        Path dir = workDir.resolve(tag);
        Files.createDirectories(dir);
        createTopics(tag);
        SmtpSink.Tally tally = sink.reset();
        out.printf("[latency] %-8s %d emails/s for %d s, after %d warm-up emails%n", c.label, options.latencyRate(),
                options.latencySeconds(), WARM_UP);
        ChildJvm child = startContender(c, tag, dir, List.of());
        try (KafkaProducer<String, byte[]> trickler = producer(0)) {
            return trickle(c, tag, tally, child, trickler);
        } finally {
            child.stop(c.isMailer() ? 30 : 5);
        }
    }

    private LatencyResult trickle(Contender c, String tag, SmtpSink.Tally tally, ChildJvm child,
                                  KafkaProducer<String, byte[]> trickler) throws InterruptedException {
        for (int seq = 0; seq < WARM_UP; seq++) {
            trickler.send(new ProducerRecord<>(outbox(tag), BenchEmails.id(tag, seq), BenchEmails.event(tag, seq, -1)));
        }
        trickler.flush();
        LatencyResult result;
        if (!awaitDistinct(tally, WARM_UP, child, c.label, 0)) {
            result = new LatencyResult(0, 0, -1, -1, -1);
        } else {
            int total = options.latencyRate() * options.latencySeconds();
            long start = System.nanoTime();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / options.latencyRate();
            for (int i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int seq = WARM_UP + i;
                trickler.send(new ProducerRecord<>(outbox(tag), BenchEmails.id(tag, seq),
                        BenchEmails.event(tag, seq, System.currentTimeMillis())));
            }
            trickler.flush();
            awaitDistinct(tally, total, child, c.label, WARM_UP);
            List<Long> lat = tally.latenciesMillis();
            result = new LatencyResult(total, lat.size(), Stats.percentile(lat, 50), Stats.percentile(lat, 99),
                    lat.stream().max(Comparator.naturalOrder()).orElse(-1L));
        }
        out.printf("  done: p50 %d ms, p99 %d ms, max %d ms (%d/%d delivered)%n", result.p50(), result.p99(),
                result.max(), result.delivered(), result.published());
        return result;
    }

    // ---- the priority lane under a backlog (issue 18, point 1) ------------------------------------------------

    /** HIGH emails per second while the normal backlog drains. */
    private static final int HIGH_PER_SECOND = 5;

    /**
     * MAILER-4, warmed up; then {@code n} normal emails published at once and, from the same moment until the last
     * of them is accepted, HIGH emails at {@value #HIGH_PER_SECOND}/s. Every email carries its publication time.
     * Sequence numbers: warm-up from 0, normal from {@link #WARM_UP}, HIGH from {@code WARM_UP + n}.
     */
    private int priorityRun(int n) throws Exception {
        String tag = "prio";
        Path dir = workDir.resolve(tag);
        Files.createDirectories(dir);
        createTopics(tag);
        SmtpSink.Tally tally = sink.reset();
        ChildJvm child = startContender(Contender.MAILER_4, tag, dir, List.of());
        out.printf("Priority lane: MAILER-4 (pid %d), %d warm-up emails, then %,d normal emails and HIGH ones at"
                + " %d/s while they drain%n", child.pid(), WARM_UP, n, HIGH_PER_SECOND);
        try {
            try (KafkaProducer<String, byte[]> p = producer(0)) {
                for (int seq = 0; seq < WARM_UP; seq++) {
                    p.send(new ProducerRecord<>(outbox(tag), BenchEmails.id(tag, seq), BenchEmails.event(tag, seq, -1)));
                }
            }
            if (!awaitDistinct(tally, WARM_UP, child, "warm-up", 0)) {
                return 1;
            }
            int highBase = WARM_UP + n;
            java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicInteger highSent = new java.util.concurrent.atomic.AtomicInteger();
            Thread high = new Thread(() -> publishHigh(tag, highBase, draining, highSent), "bench-high");
            long t0 = System.nanoTime();
            high.start();
            Thread loader = new Thread(() -> {
                try {
                    load(tag, WARM_UP, n, true);
                } catch (Exception e) {
                    out.println("  publishing failed: " + e);
                }
            }, "bench-normal");
            loader.start();
            boolean drained = awaitCount(() -> tally.distinctBetween(WARM_UP, highBase), n, child, "normal",
                    () -> { });
            double drainSeconds = seconds(System.nanoTime() - t0);
            draining.set(false);
            high.join();
            loader.join();
            boolean highDone = awaitCount(() -> tally.distinctFrom(highBase), highSent.get(), child, "HIGH", () -> { });
            PriorityResult r = new PriorityResult(n, tally.latenciesMillis(WARM_UP, highBase), highSent.get(),
                    tally.latenciesMillis(highBase, Integer.MAX_VALUE), drained ? drainSeconds : Double.NaN,
                    HIGH_PER_SECOND);
            out.println();
            out.println("Load average at the end: " + loadAverage());
            new BenchReport(out, options).priority(r);
            return drained && highDone && r.complete() ? 0 : 1;
        } finally {
            child.stop(30);
        }
    }

    /** HIGH emails at {@value #HIGH_PER_SECOND}/s, on a schedule, while {@code draining}; counts what it sent. */
    private void publishHigh(String tag, int fromSeq, java.util.concurrent.atomic.AtomicBoolean draining,
                             java.util.concurrent.atomic.AtomicInteger sent) {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / HIGH_PER_SECOND;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> p = producer(0)) {
            for (int i = 0; draining.get(); i++) {
                long wait = start + i * periodNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (!draining.get()) {
                    break;
                }
                int seq = fromSeq + i;
                p.send(new ProducerRecord<>(outbox(tag), BenchEmails.highId(tag, seq),
                        BenchEmails.event(tag, seq, System.currentTimeMillis(), true)));
                sent.incrementAndGet();
            }
            p.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- plain and templated (issue 19, point 1) --------------------------------------------------------------

    /**
     * Each chosen MAILER contender (both by default) every round twice: with the plain emails, and with the same
     * emails as a template and data, the template published on the run's templates topic before the mailer starts.
     * Prints every run and the two rates side by side.
     */
    private int templateRun() throws Exception {
        List<Contender> mailers = options.only().stream().filter(Contender::isMailer).toList();
        if (mailers.isEmpty()) {
            mailers = List.of(Contender.MAILER_1, Contender.MAILER_4);
        }
        List<RunResult> plain = new ArrayList<>();
        List<RunResult> templated = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            for (Contender c : mailers) {
                plain.add(throughputRun(c, round, false));
                templated.add(throughputRun(c, round, true));
            }
        }
        out.println();
        out.println("Load average at the end: " + loadAverage());
        BenchReport report = new BenchReport(out, options);
        out.println();
        out.println("Plain runs:");
        report.runs(plain);
        out.println();
        out.println("Templated runs:");
        report.runs(templated);
        report.templated(plain, templated);
        return Stream.concat(plain.stream(), templated.stream()).allMatch(RunResult::complete) ? 0 : 1;
    }

    /** The run's templates topic (compacted) with {@link BenchEmails#template} on it, key {@code bench/statement}. */
    private void publishTemplate(String tag) throws Exception {
        String topic = "bench." + tag + ".templates";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")))).all().get();
        awaitLeaders(List.of(topic));
        try (KafkaProducer<String, byte[]> p = producer(0)) {
            p.send(new ProducerRecord<>(topic, BenchEmails.TENANT + "/" + BenchEmails.TEMPLATE_NAME,
                    BenchEmails.template())).get(30, TimeUnit.SECONDS);
        }
    }

    // ---- profile -------------------------------------------------------------------------------------------------

    /** MAILER-4 once more, under Java Flight Recorder; returns the recording. */
    private Path profileRun() throws Exception {
        String tag = "prof-m4";
        Path dir = workDir.resolve(tag);
        Files.createDirectories(dir);
        Path jfr = dir.resolve("mailer.jfr");
        out.printf("[profile] MAILER-4 under JFR: ");
        createTopics(tag);
        load(tag, options.emails());
        SmtpSink.Tally tally = sink.reset();
        ChildJvm child = startContender(Contender.MAILER_4, tag, dir,
                List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true"));
        out.println("started (pid " + child.pid() + ")");
        awaitDistinct(tally, options.emails(), child, "MAILER-4 (JFR)", 0);
        out.printf("  done in %.1f s from start%n", seconds(tally.lastNanos() - child.startNanos()));
        child.stop(60);
        out.println("  recording: " + jfr + (options.keep() ? "" : " (deleted at the end; --keep keeps it)"));
        return jfr;
    }

    // ---- Kafka ---------------------------------------------------------------------------------------------------

    private static String outbox(String tag) {
        return "bench." + tag + ".outbox";
    }

    /** The outbox (3 partitions, so that the by-tenant work can spread) and the compacted config topic of one run. */
    private void createTopics(String tag) throws ExecutionException, InterruptedException {
        admin.createTopics(List.of(new NewTopic(outbox(tag), 3, (short) 1),
                new NewTopic("bench." + tag + CONFIG_SUFFIX, 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
        awaitLeaders(List.of(outbox(tag), "bench." + tag + CONFIG_SUFFIX));
    }

    /** New topics are usable once each partition has a leader; producing earlier only meets retries. */
    private void awaitLeaders(List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values()
                        .stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null));
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not known yet
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("topics " + topics + " have no leader after 30 s");
    }

    /**
     * Publishes the run's emails. The in-process broker under load answered an idempotent producer's first batch
     * to a new topic with OutOfOrderSequenceException for ever (Kafka 4.4): this producer is not idempotent and
     * keeps one request in flight instead, so a retry can neither reorder nor be refused; the sink counts a
     * duplicate if one ever slips through.
     */
    private void load(String tag, int count) throws Exception {
        load(tag, 0, count, false);
    }

    /** {@code count} emails from sequence number {@code fromSeq}; {@code stamped}: each with its publication time. */
    private void load(String tag, int fromSeq, int count, boolean stamped) throws Exception {
        load(tag, fromSeq, count, stamped, false);
    }

    /** As above; {@code templated}: each email as the template and its data ({@link BenchEmails#templated}). */
    private void load(String tag, int fromSeq, int count, boolean stamped, boolean templated) throws Exception {
        Properties extra = new Properties();
        extra.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        extra.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (KafkaProducer<String, byte[]> loader = producer(20, extra)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(count);
            for (int seq = fromSeq; seq < fromSeq + count; seq++) {
                long published = stamped ? System.currentTimeMillis() : -1;
                sent.add(loader.send(new ProducerRecord<>(outbox(tag), BenchEmails.id(tag, seq), templated
                        ? BenchEmails.templated(tag, seq, published) : BenchEmails.event(tag, seq, published))));
            }
            loader.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private void publishConfig(String tag, int connections) {
        publishConfig(tag, connections, true);
    }

    private void publishConfig(String tag, int connections, boolean enabled) {
        String config = "{\"enabled\":" + enabled + ",\"smtpHost\":\"127.0.0.1\",\"smtpPort\":" + sink.port()
                + ",\"postmaster\":\"" + BenchEmails.POSTMASTER + "\",\"forcePostmaster\":true,"
                + "\"campaignIntervalSeconds\":1,\"smtpConnections\":" + connections + "}";
        try (KafkaProducer<String, byte[]> p = producer(0)) {
            p.send(new ProducerRecord<>("bench." + tag + CONFIG_SUFFIX, BenchEmails.TENANT,
                    config.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish the config of " + tag, e);
        }
    }

    /** The mailer's process configuration: its own topics, application id and state, no HTTP server. */
    private Path writeMailerProperties(String tag, Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty("application.id", "bench-" + tag);
        p.setProperty("state.dir", dir.resolve("state").toString());
        p.setProperty("mailer.http.port", "-1");
        for (String role : List.of("outbox", "retry", "dlq", "status", "templates")) {
            p.setProperty("mailer.topic." + role, "bench." + tag + "." + role);
        }
        p.setProperty("mailer.topic.config", "bench." + tag + CONFIG_SUFFIX);
        for (String kv : options.mailerProperties()) {
            int eq = kv.indexOf('=');
            p.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Path file = dir.resolve("mailer.properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, "benchmark run " + tag);
        }
        return file;
    }

    private KafkaProducer<String, byte[]> producer(int lingerMs) {
        return producer(lingerMs, new Properties());
    }

    private KafkaProducer<String, byte[]> producer(int lingerMs, Properties extra) {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    // ---- a backlog held, then drained (issue 8: a million pending) -------------------------------------------------

    /**
     * N emails published while their tenant is disabled and held by a mailer at -Xmx512m; then the tenant is
     * enabled and all are delivered over 4 connections. Intake is timed from the first publish until the mailer's
     * pending gauge says N; the drain from enabling to the last accepted email.
     */
    private int heldRun(int n) throws Exception {
        String tag = "held";
        Path dir = workDir.resolve(tag);
        Files.createDirectories(dir);
        createTopics(tag);
        publishConfig(tag, 4, false);
        int httpPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            httpPort = free.getLocalPort();
        }
        Path props = writeMailerProperties(tag, dir);
        Files.writeString(props, "mailer.http.port=" + httpPort + "\n", java.nio.file.StandardOpenOption.APPEND);
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        jvm.addAll(options.mailerJavaOpts());
        ChildJvm child = ChildJvm.start(dir, jvm, List.of("-jar", options.jar().toAbsolutePath().toString(), "run",
                "--config", props.toString()));
        SmtpSink.Tally tally = sink.reset();
        out.printf("Held backlog: %,d emails, mailer at -Xmx512m (pid %d), tenant disabled%n", n, child.pid());
        long t0 = System.nanoTime();
        Thread loader = new Thread(() -> {
            try {
                load(tag, n);
            } catch (Exception e) {
                out.println("  publishing failed: " + e);
            }
        }, "held-loader");
        loader.start();
        java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics");
        long lastPrint = 0;
        long held = 0;
        while (held < n) {
            if (!child.isAlive()) {
                out.println("  the mailer exited while holding the backlog; see " + child.log());
                return 1;
            }
            held = pendingGauge(metrics);
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(10)) {
                out.printf("  held %,d/%,d after %.0f s%n", held, n, seconds(System.nanoTime() - t0));
                lastPrint = System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        double intakeSeconds = seconds(System.nanoTime() - t0);
        loader.join();
        ChildJvm.Usage heldUsage = child.usage();
        out.printf("  all %,d held after %.0f s: %.0f emails/s intake; peak RSS %,d MB, peak heap %,d MB%n", n,
                intakeSeconds, n / intakeSeconds, heldUsage.peakRssKb() / 1024, heldUsage.peakHeapKb() / 1024);

        long t1 = System.nanoTime();
        publishConfig(tag, 4, true);
        boolean complete = awaitDistinct(tally, n, child, "drain", 0);
        double drainSeconds = seconds(System.nanoTime() - t1);
        ChildJvm.Usage usage = child.usage();
        String log = Files.readString(child.log());
        long errors = log.lines().filter(l -> l.contains(" ERROR ")).count();
        long rebalances = log.lines().filter(l -> l.contains("State transition from RUNNING to REBALANCING")).count();
        out.printf("  %s %,d distinct in %.0f s: %.0f emails/s drain; duplicates %d%n",
                complete ? "delivered" : "INCOMPLETE:", tally.distinct(), drainSeconds, tally.distinct() / drainSeconds,
                tally.duplicates());
        out.printf("  peak RSS %,d MB, peak heap %,d MB (-Xmx512m), CPU %.0f s; ERROR lines %d, rebalances while"
                        + " running %d%n", usage.peakRssKb() / 1024, usage.peakHeapKb() / 1024, usage.cpuSeconds(),
                errors, rebalances);
        child.stop(10);
        return complete && errors == 0 ? 0 : 1;
    }

    /** The mailer's {@code mailer_emails_pending} of the bench tenant, from its /metrics; 0 until it answers. */
    private static long pendingGauge(java.net.URI metrics) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(metrics).timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body().lines()
                    .filter(l -> l.startsWith("mailer_emails_pending{") && l.contains("tenant=\"" + BenchEmails.TENANT + "\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void close() {
        ChildJvm.killAll();
        for (AutoCloseable c : new AutoCloseable[] {admin, sink, broker}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // shutting down: nothing left to save
                }
            }
        }
        if (!options.keep()) {
            deleteTree(workDir);
        } else {
            out.println("Kept " + workDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String labels(Iterable<Contender> cs) {
        List<String> l = new ArrayList<>();
        cs.forEach(c -> l.add(c.label));
        return String.join(", ", l);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
