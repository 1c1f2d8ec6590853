package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's ENTRYPOINT line, run as the container would run it ({@code sh -c} with the CMD or the
 * {@code docker run} arguments after it), with the image's two paths pointed at this build: the dependency
 * jars (as /app/lib holds them) and the plain jar of the mailer's classes (as /app/mailer.jar). No Docker
 * engine here; this is what can go wrong in the line itself: quoting, the class path, flags, arguments.
 */
class DockerEntrypointIT {
    @TempDir
    static Path dir;

    private static String command;

    @BeforeAll
    static void pointTheEntrypointAtThisBuild() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        // The dependency jars on this JVM's class path (under the local Maven repository), linked into one
        // folder as the image's /app/lib is one folder.
        Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository").toRealPath();
        for (URL url : Collections.list(ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF"))) {
            String s = url.toString();
            if (s.startsWith("jar:file:")) {
                Path jar = Path.of(java.net.URI.create(s.substring(4, s.indexOf("!/"))));
                boolean dependency = jar.toRealPath().startsWith(repository)
                        && !jar.toString().contains("/io/github/kafkamailer/");
                if (dependency && !Files.exists(lib.resolve(jar.getFileName()))) {
                    Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
                }
            }
        }
        Path classes;
        try (Stream<Path> target = Files.list(Path.of("target"))) {
            classes = target.filter(p -> p.getFileName().toString().matches("kafka-mailer-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no plain jar in target/: run mvn package"));
        }
        String entry = Dockerfile.runtime().last("ENTRYPOINT").execForm().get(2);
        assertThat(entry).contains("/app/lib/*").contains("/app/mailer.jar");
        command = entry.replace("/app/lib/*", lib + "/*").replace("/app/mailer.jar", classes.toAbsolutePath().toString())
                .replace("exec java ", "exec " + Path.of(System.getProperty("java.home"), "bin", "java") + " ");
    }

    private record Run(int code, String out) {
    }

    private static Run entrypoint(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", command, "mailer"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static String flag(String out, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*(\\S+)").matcher(out);
        assertThat(m.find()).as(name + " printed").isTrue();
        return m.group(1);
    }

    @Test
    void shouldRunTheCliWithTheContainerFlagsAndItsVersion() throws Exception {
        Run r = entrypoint(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        assertThat(r.code()).isZero();
        assertThat(flag(r.out(), "MaxRAMPercentage")).startsWith("60.");
        assertThat(flag(r.out(), "ExitOnOutOfMemoryError")).isEqualTo("true");
        // The version from the plain jar's manifest: the application layer is a real jar, not loose classes.
        String version = r.out().strip().lines().reduce((first, second) -> second).orElseThrow();
        assertThat(version).matches("mailer \\d+\\.\\d+\\.\\d+\\S*");
    }

    @Test
    void shouldLetJavaOptsOverrideTheDefaults() throws Exception {
        Run r = entrypoint(Map.of("JAVA_OPTS", "-XX:MaxRAMPercentage=33 -XX:+PrintFlagsFinal"), "--version");
        assertThat(r.code()).isZero();
        assertThat(flag(r.out(), "MaxRAMPercentage")).startsWith("33.");
    }

    @Test
    void shouldPassEachArgumentWholeSpacesIncluded() throws Exception {
        Path missing = dir.resolve("a folder with spaces").resolve("mailer.properties");
        Run r = entrypoint(Map.of(), "run", "--config", missing.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("config file not found: " + missing);
    }
}
