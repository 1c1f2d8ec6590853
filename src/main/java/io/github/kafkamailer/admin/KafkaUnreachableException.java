package io.github.kafkamailer.admin;

import java.time.Duration;

/**
 * No broker answered within the timeout. Its message is the one line a person needs
 * ({@code cannot reach Kafka at 127.0.0.1:9092 within 15 s}); the Kafka client's own exception is its cause.
 */
public final class KafkaUnreachableException extends RuntimeException {
    public KafkaUnreachableException(String bootstrapServers, Duration timeout, Throwable cause) {
        super("cannot reach Kafka at " + bootstrapServers + " within " + seconds(timeout), cause);
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
