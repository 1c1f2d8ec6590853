package io.github.kafkamailer.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU went: Java execution samples by thread, by package and method of the top frame
 * (self), by stage of the mailer, and the mailer's own methods by inclusive samples; plus the JIT's time and
 * the GC pauses, which execution samples do not see.
 */
final class JfrHotspots {
    private final Path recording;

    /**
     * Stages of the mailer, told apart by a method on the stack: the first that matches names the sample.
     * Sender lanes first (they also parse and build), then the stream thread's steps.
     */
    private static final String[][] STAGES = {
        {"sender: parse the event again", "JobSending.send", "EmailEventJson.parse"},
        {"sender: build the MIME message", "JobSending.send", "MimeMessages.build"},
        {"sender: SMTP exchange, MIME written out", "JobSending.send", "SMTPTransport"},
        {"sender: other", "JobSending.send", ""},
        {"stream: intake, parse and validate", "IntakeProcessor.process", "EmailEventJson.parse"},
        {"stream: intake, other (forward, repartition)", "IntakeProcessor.process", ""},
        {"stream: record outcomes, status JSON", "recordReturned", "StatusEventJson"},
        {"stream: record outcomes, sent ids", "recordReturned", "SentIds"},
        {"stream: record outcomes, other", "recordReturned", ""},
        {"stream: hand out due emails", "handOutDue", ""},
        {"stream: sending tick, other", "SendingProcessor.onTick", ""},
        {"stream: store into the pending store", "SendingProcessor.process", ""},
        {"streams: commit", "commit", ""},
        {"streams: poll and fetch", "poll", ""},
    };

    JfrHotspots(Path recording) {
        this.recording = recording;
    }

    void print(PrintStream out) throws IOException {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> selfByPackage = new HashMap<>();
        Map<String, Integer> selfByMethod = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        Map<String, Integer> stages = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        long gcNanos = 0;
        long jitMillis = 0;
        int jitMethods = 0;
        int gcs = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    RecordedThread t = e.getThread("sampledThread");
                    byThread.merge(threadGroup(t == null ? "?" : t.getJavaName()), 1, Integer::sum);
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    RecordedMethod top = st.getFrames().get(0).getMethod();
                    selfByPackage.merge(packageGroup(top.getType().getName()), 1, Integer::sum);
                    selfByMethod.merge(name(top), 1, Integer::sum);
                    stages.merge(stage(st, t == null ? "?" : t.getJavaName()), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : st.getFrames()) {
                        String m = name(f.getMethod());
                        if (m.startsWith("io.github.kafkamailer.") && seen.add(m)) {
                            ours.merge(m, 1, Integer::sum);
                        }
                    }
                }
                case "jdk.NativeMethodSample" -> nativeSamples++;
                case "jdk.CompilerStatistics" -> {
                    jitMillis = Math.max(jitMillis, e.getLong("totalTimeSpent"));
                    jitMethods = Math.max(jitMethods, e.getInt("compileCount"));
                }
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    gcNanos += e.getDuration().toNanos();
                }
                default -> {
                }
            }
        }
        out.printf("Profile of MAILER-4 (JFR, %s): %,d Java execution samples, %,d native-method samples, %d GCs"
                + " taking %.2f s in all%n", recording.getFileName(), samples, nativeSamples, gcs, gcNanos / 1e9);
        top(out, "Java samples by thread", byThread, samples, 12);
        top(out, "Java samples by stage of the mailer", stages, samples, STAGES.length + 4);
        top(out, "Self samples by package of the top frame", selfByPackage, samples, 20);
        top(out, "Self samples by method", selfByMethod, samples, 25);
        top(out, "The mailer's own methods, inclusive (samples with the method anywhere on the stack)", ours,
                samples, 25);
        out.printf("Beside the Java samples: the JIT compiled %,d methods in %.1f s (compiler threads' time, longer"
                + " on a busy machine); GC pauses took %.2f s (%d GCs)%n", jitMethods, jitMillis / 1000.0,
                gcNanos / 1e9, gcs);
    }

    private static String stage(RecordedStackTrace st, String thread) {
        List<RecordedFrame> frames = st.getFrames();
        for (String[] s : STAGES) {
            boolean outer = false;
            boolean inner = s[2].isEmpty();
            for (RecordedFrame f : frames) {
                String m = name(f.getMethod());
                outer |= m.contains(s[1]);
                inner |= m.contains(s[2]);
            }
            if (outer && inner) {
                return s[0];
            }
        }
        return "other threads and steps (" + threadGroup(thread).replaceAll("bench-[^-]+-[^-]+-<uuid>-", "") + ")";
    }

    private static void top(PrintStream out, String title, Map<String, Integer> counts, int total, int n) {
        out.println(title + ":");
        List<Map.Entry<String, Integer>> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .collect(Collectors.toList());
        for (Map.Entry<String, Integer> en : sorted) {
            out.printf("  %5.1f %%  %6d  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getValue(), en.getKey());
        }
    }

    private static String name(RecordedMethod m) {
        return m.getType().getName() + "." + m.getName();
    }

    /** Thread names without their numbers, so that lanes and pools add up. */
    private static String threadGroup(String thread) {
        return thread.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>").replaceAll("\\d+", "N");
    }

    /** The first three or four segments of a class name: org.apache.kafka.streams, jakarta.mail.internet, ... */
    private static String packageGroup(String className) {
        String[] p = className.split("\\.");
        int keep = className.startsWith("org.") || className.startsWith("com.") || className.startsWith("io.")
                ? Math.min(4, p.length - 1) : Math.min(3, p.length - 1);
        return String.join(".", java.util.Arrays.copyOf(p, Math.max(1, keep)));
    }
}
