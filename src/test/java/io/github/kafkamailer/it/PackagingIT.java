package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two jars `mvn package` builds, as a user runs them (java -jar, a process of their own): target/mailer.jar,
 * the production jar, holds the mailer and its CLI without the demo's broker, Scala or GreenMail, and still runs
 * (a class missing from it fails here); target/mailer-demo.jar holds the demo.
 */
class PackagingIT {
    private static final Path THIN = Path.of("target", "mailer.jar").toAbsolutePath();
    private static final Path DEMO = Path.of("target", "mailer-demo.jar").toAbsolutePath();

    /** Entries of the demo's parts, which target/mailer.jar must not hold. */
    private static final List<String> DEMO_ONLY = List.of("kafka/server/", "kafka/log/", "kafka/raft/",
            "kafka/tools/", "org/apache/kafka/metadata/", "org/apache/kafka/raft/", "org/apache/kafka/storage/",
            "org/apache/kafka/coordinator/", "org/apache/kafka/server/common/", "scala/", "com/icegreen/",
            "io/github/kafkamailer/embedded/");

    @TempDir
    Path dir;

    private record Run(int code, String out) {
    }

    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by mvn package").isRegularFile();
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(ZipEntry::getName).toList();
        }
    }

    private static List<String> java(Path jar, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Run run(Path jar, String... args) throws Exception {
        Process p = new ProcessBuilder(java(jar, args)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static String pomVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>kafka-mailer</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void shouldLeaveTheBrokerScalaGreenMailAndTheDemoOutOfTheProductionJar() throws IOException {
        List<String> thin = entries(THIN);
        for (String prefix : DEMO_ONLY) {
            assertThat(thin).as("entries under " + prefix).noneMatch(e -> e.startsWith(prefix));
        }
        // kafka-clients and kafka-streams keep a version file under kafka/; no class may be there.
        assertThat(thin).as("classes under kafka/ (the broker, in Scala)")
                .noneMatch(e -> e.startsWith("kafka/") && e.endsWith(".class"));
        assertThat(thin).contains("io/github/kafkamailer/cli/MailerCli.class",
                "org/apache/kafka/streams/KafkaStreams.class", "org/rocksdb/RocksDB.class");

        List<String> demo = entries(DEMO);
        assertThat(demo).contains("io/github/kafkamailer/embedded/Demo.class", "kafka/server/KafkaRaftServer.class")
                .anyMatch(e -> e.startsWith("com/icegreen/greenmail/"));
        System.out.printf("PackagingIT: target/mailer.jar %,d bytes (%d entries), target/mailer-demo.jar %,d bytes"
                + " (%d entries); RocksDB natives in mailer.jar: %s%n", Files.size(THIN), thin.size(), Files.size(DEMO),
                demo.size(), thin.stream().filter(e -> e.startsWith("librocksdbjni")).toList());
    }

    /**
     * With {@code -Plinux-natives} (which sets {@code mailer.packaging.linux-natives}), only the glibc natives of
     * Linux x86_64 and aarch64; without it, every platform's, macOS's and Windows' included.
     */
    @Test
    void shouldKeepTheRocksDbNativesTheBuildAskedFor() throws IOException {
        List<String> natives = entries(THIN).stream().filter(e -> e.startsWith("librocksdbjni")).toList();
        if (Boolean.getBoolean("mailer.packaging.linux-natives")) {
            assertThat(natives).containsExactlyInAnyOrder("librocksdbjni-linux64.so", "librocksdbjni-linux-aarch64.so");
        } else {
            assertThat(natives).contains("librocksdbjni-linux64.so", "librocksdbjni-linux-aarch64.so",
                    "librocksdbjni-osx-arm64.jnilib", "librocksdbjni-osx-x86_64.jnilib", "librocksdbjni-win64.dll");
        }
        assertThat(entries(DEMO)).as("the demo jar is never trimmed")
                .contains("librocksdbjni-osx-arm64.jnilib", "librocksdbjni-win64.dll");
    }

    @Test
    void shouldSayItsVersionFromEitherJarsManifest() throws Exception {
        for (Path jar : List.of(THIN, DEMO)) {
            Run r = run(jar, "--version");
            assertThat(r.code()).isZero();
            assertThat(r.out().strip()).isEqualTo("mailer " + pomVersion());
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo(pomVersion());
            }
        }
    }

    @Test
    void shouldExitTwoSayingWhereTheDemoIsWhenAskedForItInTheProductionJar() throws Exception {
        Run r = run(THIN, "demo");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains(
                "the demo is not in this jar: run ./mailer demo, or java -jar target/mailer-demo.jar demo");
    }

    /** The production jar runs: `run` on a broker delivers an email that its own `send --wait` published. */
    @Test
    void shouldRunFromTheProductionJarAndDeliverAnEmail() throws Exception {
        try (FaultySmtpServer smtp = new FaultySmtpServer().start();
             MailerHarness harness = new MailerHarness(dir.resolve("unused"))) {
            harness.createTopics();
            harness.publishConfig("default", config(smtp.port(), ""));
            Path processConfig = harness.writeProcessConfig(dir.resolve("mailer.properties"));
            Path log = dir.resolve("mailer.log");
            Process mailer = new ProcessBuilder(java(THIN, "run", "--config", processConfig.toString(),
                    "--state-dir", dir.resolve("state").toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try {
                Run send = run(THIN, "send", "--config", processConfig.toString(), "--to", "bob@example.com",
                        "--subject", "From the thin jar", "--text", "It runs.", "--wait", "--timeout", "50s");
                assertThat(send.code()).as(send.out() + "\nmailer's log:\n" + Files.readString(log)).isZero();
                await().atMost(Duration.ofSeconds(30)).until(() -> smtp.receivedCount() == 1);
                assertThat(smtp.subjects()).containsExactly("From the thin jar");
            } finally {
                mailer.destroy();
                assertThat(mailer.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
        }
    }
}
