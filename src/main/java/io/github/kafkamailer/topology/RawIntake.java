package io.github.kafkamailer.topology;

import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.failure.DeadLetters;
import io.github.kafkamailer.model.TopicNames;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both intakes (outbox and retry) share: they read raw bytes, so no deserialization error can stop the
 * stream, and whatever they can't accept goes to the dead-letter topic as INVALID, bytes unchanged.
 */
abstract class RawIntake implements Processor<byte[], byte[], byte[], Routed> {
    private static final Logger LOG = LoggerFactory.getLogger(RawIntake.class);

    protected final TopicNames topics;
    protected final MailerMetrics metrics;
    protected ProcessorContext<byte[], Routed> context;

    RawIntake(TopicNames topics, MailerMetrics metrics) {
        this.topics = topics;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
    }

    /** {@code topic/partition/offset} of the record being processed: the {@code mailer.source} header. */
    protected String source() {
        return context.recordMetadata().map(m -> source(m.topic(), m.partition(), m.offset())).orElse("unknown");
    }

    /** A record's place as the {@code mailer.source} header and {@link PendingEmail#source()} give it. */
    static String source(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** Sends the record, as it came, to the dead-letter topic with the reason; counts it under {@code unknown}. */
    protected void rejectAsInvalid(Record<byte[], byte[]> record, String source, String reason) {
        LOG.warn("Invalid record at {} sent to {}: {}", source, topics.dlq(), reason);
        metrics.failed(MailerMetrics.UNKNOWN_TENANT, "invalid");
        metrics.deadLettered(MailerMetrics.UNKNOWN_TENANT, DeadLetterKind.INVALID.name());
        context.forward(record
                .withValue((Routed) new Outbound(topics.dlq(), record.value()))
                .withHeaders(DeadLetters.headers(record.headers(), DeadLetterKind.INVALID, reason, 0, null, source)));
    }
}
