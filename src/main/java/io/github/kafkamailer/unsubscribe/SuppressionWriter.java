package io.github.kafkamailer.unsubscribe;

import io.github.kafkamailer.model.Suppression;

/** Where a one-click unsubscribe records its suppression: the suppressions topic, through a Kafka producer. */
@FunctionalInterface
public interface SuppressionWriter {
    /**
     * Writes {@code suppression} and returns once it is stored (acknowledged by the broker).
     *
     * @throws Exception when it could not be stored; then nothing may be said to have succeeded
     */
    void write(Suppression suppression) throws Exception;
}
