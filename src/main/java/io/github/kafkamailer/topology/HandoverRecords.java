package io.github.kafkamailer.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Handovers as records of the topic the sending task reads, in the task's own partition. */
final class HandoverRecords {
    private static final PendingEmailSerde SERDE = new PendingEmailSerde();

    private HandoverRecords() {
    }

    /**
     * Keyed by tenant, as the repartition is; the value is the pending email as the store holds it, so that a
     * reader that knows no handovers (an older mailer) puts back what its store holds already and sends it again
     * (the behaviour before handovers), never something it can't read.
     */
    static ProducerRecord<byte[], byte[]> of(String topic, int partition, PendingEmail p, Handover h) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Handover.HEADER, h.write());
        return new ProducerRecord<>(topic, partition, null, p.tenant().getBytes(StandardCharsets.UTF_8),
                SERDE.serializer().serialize(topic, p), headers);
    }
}
