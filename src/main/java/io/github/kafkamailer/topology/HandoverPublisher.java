package io.github.kafkamailer.topology;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes the handovers of a task that is let go ({@link Handover}), outside Kafka Streams' transaction: the task
 * was committed already when its processors close. One per process, shared by its stream threads: thread-safe.
 */
public interface HandoverPublisher {
    /** Drops every handover: the next owner of a task sends its marked emails again once it stops waiting. */
    HandoverPublisher NONE = new HandoverPublisher() {
        @Override
        public void send(ProducerRecord<byte[], byte[]> record) {
        }

        @Override
        public void flush() {
        }
    };

    /** Sends without waiting for the broker; a failure is logged, never thrown. */
    void send(ProducerRecord<byte[], byte[]> record);

    /** Returns once everything sent so far is acknowledged or failed (bounded by the producer's delivery timeout). */
    void flush();
}
