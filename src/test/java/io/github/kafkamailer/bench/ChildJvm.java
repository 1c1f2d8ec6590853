package io.github.kafkamailer.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contender's own JVM, so that the CPU seconds and memory it is charged with are its own: started with a GC
 * log, its output sent to a file, and measured from {@code /proc} while it is still alive.
 */
final class ChildJvm {
    /** A G1 or serial pause line of {@code -Xlog:gc}: {@code 25M->3M(256M)}. */
    private static final Pattern GC_SIZES = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final long CLOCK_TICKS = clockTicks();
    /** Every child started, so that none outlives the benchmark (an error, Ctrl-C). */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::killAll, "bench-children-kill"));
    }

    private final Process process;
    private final long startNanos;
    private final Path log;
    private final Path gcLog;

    /** Resources used by the process up to the moment they were read. */
    record Usage(double cpuSeconds, long peakRssKb, long peakHeapKb) {
    }

    private ChildJvm(Process process, long startNanos, Path log, Path gcLog) {
        this.process = process;
        this.startNanos = startNanos;
        this.log = log;
        this.gcLog = gcLog;
    }

    /**
     * Starts {@code java [jvmArgs] args...} in {@code dir}; output goes to {@code dir/out.log}, the GC log to
     * {@code dir/gc.log}. The start instant is taken right before the process is created.
     */
    static ChildJvm start(Path dir, List<String> jvmArgs, List<String> args) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("out.log");
        Path gcLog = dir.resolve("gc.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xlog:gc:file=" + gcLog);
        cmd.addAll(jvmArgs);
        cmd.addAll(args);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        STARTED.add(p);
        return new ChildJvm(p, start, log, gcLog);
    }

    long startNanos() {
        return startNanos;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** CPU seconds (user + system) used so far; -1 once the process is gone. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name and the state.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU (user + system), peak RSS ({@code VmHWM}) and the largest heap before a GC; read while it lives. */
    Usage usage() {
        double cpu = cpuSeconds();
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already: reported as unknown
        }
        return new Usage(cpu, rss, peakHeapKb());
    }

    /** The largest "before" figure of the GC log, in KiB; -1 without a GC. */
    long peakHeapKb() {
        long max = -1;
        try {
            for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = GC_SIZES.matcher(line);
                if (m.find()) {
                    max = Math.max(max, kb(Long.parseLong(m.group(1)), m.group(2)));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return max;
    }

    private static long kb(long v, String unit) {
        return switch (unit) {
            case "G" -> v * 1024 * 1024;
            case "M" -> v * 1024;
            default -> v;
        };
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code graceSeconds}. */
    void stop(int graceSeconds) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Kills every child still alive: the benchmark is ending, whatever the reason. */
    static void killAll() {
        for (Process p : STARTED) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** The last lines of the child's output, to say why it failed. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
