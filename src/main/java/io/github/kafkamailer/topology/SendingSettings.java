package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.transport.MailTransport;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * What every sending run shares.
 *
 * @param mailerStartedAt the instant {@code skipPendingOnStart} compares {@code createdAt} with
 * @param senders         where batches are sent, off the stream thread (a direct executor in topology tests)
 * @param gate            counts batches in flight, so a shutdown can let them finish first
 * @param batchSize       emails read from the store and handed to a sender at a time: bounds the heap and the
 *                        number of emails that a crash may have sent without recording it
 */
public record SendingSettings(MailTransport transport, TopicNames topics, MailerMetrics metrics, Clock clock,
                              Instant mailerStartedAt, Executor senders, SendingGate gate, RetryPolicy retryPolicy,
                              int batchSize) {
}
