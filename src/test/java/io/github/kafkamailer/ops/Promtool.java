package io.github.kafkamailer.ops;

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

/**
 * Prometheus's own tool, from Debian's {@code prometheus} package, which {@code ./run-tests} installs. Tests that need
 * it are skipped on a machine without it, and fail in CI ({@code CI=true}) rather than pass unseen.
 */
final class Promtool {
    record Result(int code, String output) {
    }

    private final Path binary;

    private Promtool(Path binary) {
        this.binary = binary;
    }

    /** promtool from PATH, or the test is skipped (failed in CI) with the reason. */
    static Promtool requireOrSkip() {
        Optional<Path> found = onPath("promtool");
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("promtool is not installed: ./run-tests installs Debian's prometheus package for it");
        }
        assumeTrue(found.isPresent(), "promtool not found on PATH: install it (Debian: apt-get install"
                + " --no-install-recommends prometheus) to run the alert rules and the dashboard's queries");
        return new Promtool(found.get());
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

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool did not finish within 60 s: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
