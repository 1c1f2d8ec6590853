package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.admin.KafkaUnreachableException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Waits for the cluster before the mailer starts, saying so once per {@code every} rather than once per
 * connection attempt: a supervisor may well start the mailer before Kafka, and the log should say what is
 * wrong without drowning in it.
 */
final class BrokerWait {
    private final KafkaAccess kafka;
    private final Duration every;
    private final Consumer<String> say;

    BrokerWait(KafkaAccess kafka, Duration every, Consumer<String> say) {
        this.kafka = kafka;
        this.every = every;
        this.say = say;
    }

    /** Returns true once the cluster answers; false when {@code stopping} says stop first. */
    boolean await(BooleanSupplier stopping) {
        long lastSaid = 0;
        boolean saidOnce = false;
        while (!stopping.getAsBoolean()) {
            try {
                kafka.requireCluster();
                if (saidOnce) {
                    say.accept("Kafka at " + kafka.bootstrapServers() + " answers now; starting");
                }
                return true;
            } catch (KafkaUnreachableException e) {
                if (!saidOnce || System.nanoTime() - lastSaid >= every.toNanos()) {
                    say.accept(e.getMessage() + "; still trying (said once per " + every.toSeconds() + " s)");
                    lastSaid = System.nanoTime();
                    saidOnce = true;
                }
            }
        }
        return false;
    }
}
