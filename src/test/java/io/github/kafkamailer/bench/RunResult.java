package io.github.kafkamailer.bench;

/**
 * What one contender's run measured. Times are seconds; rates emails per second; a figure that could not be
 * measured is NaN (or -1 for sizes).
 */
record RunResult(Contender contender, int round, int emails, int delivered, int duplicates, int sessions,
                 double firstSeconds, double lastSeconds, double cpuAtFirst, double cpuSeconds, long peakRssKb, long peakHeapKb,
                 boolean complete) {

    /** Emails per second from the process's start to the last accepted email. */
    double rateFromStart() {
        return complete ? emails / lastSeconds : Double.NaN;
    }

    /** Emails per second from the first accepted email to the last. */
    double steadyRate() {
        return complete && lastSeconds > firstSeconds ? (emails - 1) / (lastSeconds - firstSeconds) : Double.NaN;
    }

    /** CPU seconds per 1,000 emails, start-up included: all the process used, over all it delivered. */
    double cpuPerThousand() {
        return cpuSeconds < 0 || delivered == 0 ? Double.NaN : cpuSeconds * 1000.0 / delivered;
    }

    /** CPU seconds per 1,000 emails after the first one was accepted: the cost of sending, start-up left out. */
    double cpuPerThousandSending() {
        return cpuSeconds < 0 || cpuAtFirst < 0 || delivered < 2 ? Double.NaN
                : (cpuSeconds - cpuAtFirst) * 1000.0 / (delivered - 1);
    }
}
