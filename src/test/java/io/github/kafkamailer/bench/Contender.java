package io.github.kafkamailer.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The benchmark's contenders, in the order a round runs them. */
enum Contender {
    MAILER_1("MAILER-1", "m1", 1, true),
    MAILER_4("MAILER-4", "m4", 4, true),
    POOLED_1("POOLED-1", "p1", 1, true),
    POOLED_4("POOLED-4", "p4", 4, true),
    LIMIT_1("LIMIT-1", "l1", 1, false),
    LIMIT_4("LIMIT-4", "l4", 4, false),
    NAIVE("NAIVE", "naive", 1, true);

    final String label;
    final String tag;
    final int connections;
    final boolean readsKafka;

    Contender(String label, String tag, int connections, boolean readsKafka) {
        this.label = label;
        this.tag = tag;
        this.connections = connections;
        this.readsKafka = readsKafka;
    }

    boolean isMailer() {
        return this == MAILER_1 || this == MAILER_4;
    }

    static Contender byName(String upperCase) {
        for (Contender c : values()) {
            if (c.label.equals(upperCase) || c.name().equals(upperCase) || c.tag.equalsIgnoreCase(upperCase)) {
                return c;
            }
        }
        return null;
    }

    static String names() {
        return Arrays.stream(values()).map(c -> c.label).collect(Collectors.joining(", "));
    }
}
