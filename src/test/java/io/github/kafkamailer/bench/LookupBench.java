package io.github.kafkamailer.bench;

import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.app.MailerApp;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.app.TopicCreator;
import io.github.kafkamailer.app.TopicsFile;
import io.github.kafkamailer.embedded.EmbeddedKafkaBroker;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The lookup benchmark of issue 15, point 5 ({@code bench/run-benchmark.sh lookup [--events N] [--lookups M]}):
 * N status events on the status topic (two per email: RETRY_SCHEDULED, then SENT, over 10 tenants), a mailer
 * started on them (the store catches up from the topic's start, as after an upgrade), then M lookups through
 * {@code GET /api/status}, one {@code status --id} CLI call in a JVM of its own, and the old way for comparison:
 * the id's partition read from offset 0 ({@code status --history}), in-process and as a CLI call.
 *
 * <p>Not a test: nothing in {@code mvn verify} runs it.
 */
public final class LookupBench {
    private static final int TENANTS = 10;

    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int lookups = 100;
        int partitions = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--lookups" -> lookups = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: bench/run-benchmark.sh lookup [--events N (1000000)] [--lookups M (100)]"
                            + " [--partitions P (3)]");
                    return;
                }
                default -> {
                    System.err.println("run-benchmark lookup: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.exit(new LookupBench().run(events, lookups, partitions));
    }

    private int run(int events, int lookups, int partitions) throws Exception {
        Path work = Files.createTempDirectory("lookup-bench");
        System.out.printf("Lookup benchmark: %,d status events (%,d emails x 2, %d tenants), %d partitions%n",
                events, events / 2, TENANTS, partitions);
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadAverage() + " (other processes share these cores)");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
        MailerApp mailer = null;
        try {
            TopicNames topics = TopicNames.defaults();
            Properties p = new Properties();
            p.setProperty("bootstrap.servers", broker.bootstrapServers());
            p.setProperty(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            p.setProperty(ProcessSettings.HTTP_PORT, "0");
            p.setProperty(ProcessSettings.TOPIC_PARTITIONS, Integer.toString(partitions));
            ProcessSettings settings = ProcessSettings.of(p);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicCreator.createMissing(admin, TopicsFile.load(settings), Duration.ofSeconds(60));
            }
            int emails = events / 2;
            long t0 = System.nanoTime();
            publish(broker.bootstrapServers(), topics.status(), emails);
            System.out.printf("Published %,d status events in %.1f s%n", events, secs(System.nanoTime() - t0));

            mailer = new MailerApp(settings, MailerApp.prometheusMetrics(), Clock.systemUTC(),
                    MailerApp.defaultTransport(settings, Clock.systemUTC()));
            long t1 = System.nanoTime();
            mailer.start();
            awaitCaughtUp(broker.bootstrapServers(), topics.status());
            System.out.printf("The store caught up with the topic %.1f s after the mailer's start (%,.0f events/s)%n",
                    secs(System.nanoTime() - t1), events / secs(System.nanoTime() - t1));

            String url = "http://127.0.0.1:" + mailer.httpPort();
            HttpClient http = HttpClient.newHttpClient();
            Random random = new Random(42);
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < lookups + 10; i++) {
                int n = random.nextInt(emails);
                long s = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/status?tenant="
                        + tenant(n) + "&id=" + id(n))).GET().build(), HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - s;
                if (r.statusCode() != 200 || !r.body().contains("\"SENT\"")) {
                    throw new IllegalStateException("lookup of " + id(n) + " answered " + r.statusCode() + " " + r.body());
                }
                if (i >= 10) { // the first ten warm up the client and the server
                    nanos.add(took);
                }
            }
            Collections.sort(nanos);
            System.out.printf("GET /api/status, %d lookups of random ids: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    nanos.size(), ms(pct(nanos, 50)), ms(pct(nanos, 99)), ms(nanos.get(nanos.size() - 1)));

            int n = random.nextInt(emails - 1);
            long c = cli(List.of("status", "--id", id(n), "--tenant", tenant(n), "--url", url));
            System.out.printf("status --id (a CLI call in a JVM of its own, JVM start included): %.2f s%n", secs(c));
            long in = System.nanoTime();
            int code = io.github.kafkamailer.cli.MailerCli.execute(new String[]{"status", "--id", id(n), "--tenant",
                    tenant(n), "--url", url}, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                    new java.io.PrintWriter(java.io.Writer.nullWriter()));
            System.out.printf("status --id (the same call in this JVM, without the JVM's start): %.0f ms (exit %d)%n",
                    ms(System.nanoTime() - in), code);
            long again = System.nanoTime();
            int code2 = io.github.kafkamailer.cli.MailerCli.execute(new String[]{"status", "--id", id(n + 1),
                    "--tenant", tenant(n + 1), "--url", url}, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                    new java.io.PrintWriter(java.io.Writer.nullWriter()));
            System.out.printf("status --id (a second call in this JVM, its classes loaded): %.0f ms (exit %d)%n",
                    ms(System.nanoTime() - again), code2);
            System.out.printf("--version (a CLI call in a JVM of its own: the JVM's start alone): %.2f s%n",
                    secs(cli(List.of("--version"))));

            Properties client = new Properties();
            client.setProperty("bootstrap.servers", broker.bootstrapServers());
            StatusAdmin old = new StatusAdmin(client, topics, Duration.ofSeconds(60));
            List<Long> scans = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int m = random.nextInt(emails);
                long s = System.nanoTime();
                List<StatusEvent> h = old.history(id(m), tenant(m));
                scans.add(System.nanoTime() - s);
                if (h.size() != 2) {
                    throw new IllegalStateException("history of " + id(m) + " has " + h.size() + " events");
                }
            }
            Collections.sort(scans);
            System.out.printf("The old scan (the id's partition from offset 0, ~%,d events), in-process, 3 ids:"
                    + " median %.2f s%n", events / partitions, secs(scans.get(1)));
            long h = cli(List.of("status", "--id", id(n), "--tenant", tenant(n), "--history", "-b",
                    broker.bootstrapServers(), "--timeout", "120s"));
            System.out.printf("status --id --history (the old scan as a CLI call, JVM start included): %.2f s%n", secs(h));
            return 0;
        } finally {
            if (mailer != null) {
                mailer.close(Duration.ofSeconds(10));
            }
            broker.close();
        }
    }

    private static void publish(String bootstrap, String topic, int emails) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
        Instant at = Instant.now().minus(Duration.ofDays(1));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // Two statuses per email, the retry first; the second half of the topic holds the SENTs.
            for (Status s : List.of(Status.RETRY_SCHEDULED, Status.SENT)) {
                for (int n = 0; n < emails; n++) {
                    byte[] key = id(n).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(topic, key, StatusEventJson.write(new StatusEvent(id(n),
                            tenant(n), s, s == Status.SENT ? 2 : 1, at, TransportKind.SMTP,
                            s == Status.SENT ? null : "451 4.3.0 try again later"))));
                }
            }
            producer.flush();
        }
    }

    /** Until the application's committed offsets on the status topic reach its end. */
    private static void awaitCaughtUp(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<TopicPartition> tps = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> end = admin.listOffsets(tps.stream().collect(Collectors.toMap(t -> t,
                    t -> OffsetSpec.latest()))).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets("mailer")
                        .partitionsToOffsetAndMetadata().get();
                // Under exactly-once a commit marker follows the last record: the committed offset may pass the end.
                if (tps.stream().allMatch(t -> done.get(t) != null && done.get(t).offset() >= end.get(t))) {
                    return;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Runs the CLI in a JVM of its own, as a user would; returns how long it took. */
    private static long cli(List<String> args) throws Exception {
        // The benchmark's own classpath (target/classes first): what this build's jar holds, without needing it.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.github.kafkamailer.cli.MailerCli"));
        cmd.addAll(args);
        long s = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
                ProcessBuilder.Redirect.appendTo(new File("target/lookup-bench-cli.log"))).start();
        int code = p.waitFor();
        long took = System.nanoTime() - s;
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited with " + code
                    + " (see target/lookup-bench-cli.log)");
        }
        return took;
    }

    private static String id(int n) {
        return "email-" + n;
    }

    private static String tenant(int n) {
        return "tenant-" + (n % TENANTS);
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
