package io.github.kafkamailer.bench;

import java.util.Comparator;
import java.util.List;

/**
 * What the priority scenario measured (issue 18, point 1): the publish-to-accepted latencies of the normal
 * backlog and of the HIGH emails published while it drained, and how long the drain took (from the first normal
 * email published to the last one accepted).
 */
record PriorityResult(int normalPublished, List<Long> normalMillis, int highPublished, List<Long> highMillis,
                      double drainSeconds, int highPerSecond) {

    PriorityResult {
        normalMillis = List.copyOf(normalMillis);
        highMillis = List.copyOf(highMillis);
    }

    /** Normal emails per second over the drain; NaN if it was not timed. */
    double drainRate() {
        return drainSeconds > 0 ? normalMillis.size() / drainSeconds : Double.NaN;
    }

    static long p(List<Long> millis, double percentile) {
        return Stats.percentile(millis, percentile);
    }

    static long max(List<Long> millis) {
        return millis.stream().max(Comparator.naturalOrder()).orElse(-1L);
    }

    boolean complete() {
        return normalMillis.size() == normalPublished && highMillis.size() == highPublished;
    }
}
