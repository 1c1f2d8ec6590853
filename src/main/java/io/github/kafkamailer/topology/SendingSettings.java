package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.sending.SenderFactory;
import io.github.kafkamailer.sending.TenantActivity;
import io.github.kafkamailer.transport.MailTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What every sending run shares.
 *
 * @param mailerStartedAt  the instant {@code skipPendingOnStart} compares an email's arrival on the outbox with: when
 *                         the mailer service started (its first instance after a full stop), the same on every
 *                         instance, so a task that moves skips nothing more than where it was
 *                         ({@code app/ServiceStart}); {@link Instant#MIN} skips nothing
 * @param senders          where a tenant's run sends, off the stream thread (on it in topology tests)
 * @param gate             counts emails in flight, so a shutdown can let them finish first
 * @param batchSize        emails of one tenant handed to senders and not yet recorded, at most: bounds the heap
 *                         and the emails a crash may have sent without recording (sent again after it)
 * @param batchMaxBytes    the same bound in bytes (at least one email always goes, however big)
 * @param expiryEvery      how often expired sent ids are forgotten, a bounded number at a time
 * @param handover         how a task let go settles what it has in flight with its next owner
 */
public record SendingSettings(MailTransport transport, TopicNames topics, MailerMetrics metrics, Clock clock,
                              Instant mailerStartedAt, SenderFactory senders, SendingGate gate, RetryPolicy retryPolicy,
                              int batchSize, long batchMaxBytes, Duration expiryEvery, TenantActivity activity,
                              HandoverSettings handover) {
    public static final long DEFAULT_BATCH_MAX_BYTES = 16L * 1024 * 1024;

    /** Without handovers ({@link HandoverSettings#none()}): what was in flight at a move is sent again. */
    public SendingSettings(MailTransport transport, TopicNames topics, MailerMetrics metrics, Clock clock,
                           Instant mailerStartedAt, SenderFactory senders, SendingGate gate, RetryPolicy retryPolicy,
                           int batchSize, long batchMaxBytes, Duration expiryEvery, TenantActivity activity) {
        this(transport, topics, metrics, clock, mailerStartedAt, senders, gate, retryPolicy, batchSize, batchMaxBytes,
                expiryEvery, activity, HandoverSettings.none());
    }

    /** The same settings, tasks let go handing over what they have in flight as {@code h} says. */
    public SendingSettings withHandover(HandoverSettings h) {
        return new SendingSettings(transport, topics, metrics, clock, mailerStartedAt, senders, gate, retryPolicy,
                batchSize, batchMaxBytes, expiryEvery, activity, h);
    }
}
