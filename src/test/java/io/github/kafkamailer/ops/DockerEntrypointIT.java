package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's ENTRYPOINT line, run as the container would run it ({@code sh -c} with the CMD or the
 * {@code docker run} arguments after it), with the image's jar path pointed at this build's
 * {@code target/mailer.jar} (what the image's build stage makes and copies to /app/mailer.jar). Here, without a
 * container engine, this is what can go wrong in the line itself: quoting, the class path, flags, arguments;
 * ImageIT runs the image where podman runs.
 */
class DockerEntrypointIT {
    @TempDir
    static Path dir;

    private static String command;

    @BeforeAll
    static void pointTheEntrypointAtThisBuild() {
        Path jar = Path.of("target", "mailer.jar").toAbsolutePath();
        assertThat(jar).as("target/mailer.jar: run mvn package").isRegularFile();
        String entry = Dockerfile.runtime().last("ENTRYPOINT").execForm().get(2);
        assertThat(entry).contains(" /app/mailer.jar ");
        command = entry.replace(" /app/mailer.jar ", " '" + jar + "' ")
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
        // The version from the jar's manifest.
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
