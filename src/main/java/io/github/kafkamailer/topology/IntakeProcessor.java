package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first step of every outbox record: parse and check it against the contract. A valid email goes on as a
 * {@link PendingEmail}; anything else goes to the dead-letter topic with its reason and its bytes unchanged,
 * and the stream goes on. Records are read as raw bytes, so no deserialization error can stop the app.
 */
final class IntakeProcessor extends RawIntake {
    private final ArrivalTimes arrivals = new ArrivalTimes();

    private final HighInbox highInbox;

    IntakeProcessor(TopicNames topics, MailerMetrics metrics, HighInbox highInbox) {
        super(topics, metrics);
        this.highInbox = highInbox;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String source = source();
        try {
            PendingEmail email = accept(record.key(), record.value(), record.timestamp(), source, arrivals,
                    context.currentSystemTimeMs());
            if (email.isHigh() && !HandoverIntake.isHandover(record.headers())) {
                // Also straight to its sending task when it runs here: the repartition's fetch can lag under load.
                highInbox.offer(email);
            }
            context.forward(record.withValue(email));
        } catch (InvalidRecordException e) {
            rejectAsInvalid(record, source, e.getMessage());
        }
    }

    /**
     * The email an outbox record carries, as the intake takes it in; one rule for the intake and for
     * {@link HighLookahead}, which must accept exactly what the intake accepts.
     *
     * @throws InvalidRecordException when the intake sends the record to the dead-letter topic
     */
    static PendingEmail accept(byte[] key, byte[] value, long timestampMs, String source, ArrivalTimes arrivals,
                               long nowMs) {
        EmailEvent email = EmailEventJson.parse(value);
        checkKey(key, email);
        Instant accepted = arrivals.acceptedAt(email.tenant(), timestampMs, nowMs);
        return new PendingEmail(email.tenant(), email.id(), value, source, accepted, 0, null, accepted, null,
                email.priority());
    }

    /** The key is the idempotency key; an event whose id says otherwise would be deduplicated wrongly. */
    private static void checkKey(byte[] key, EmailEvent email) {
        if (key == null) {
            throw new InvalidRecordException("key", "is missing: the record key must be the email id '" + email.id() + "'");
        }
        String k;
        try {
            // Strict: a lenient decode would map different invalid keys onto one id and break deduplication.
            k = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(key)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidRecordException("key", "is not valid UTF-8: the record key must be the email id");
        }
        if (!k.equals(email.id())) {
            throw new InvalidRecordException("id", "'" + email.id() + "' differs from the record key '"
                    + (k.length() > 80 ? k.substring(0, 80) + "..." : k) + "'");
        }
    }
}
