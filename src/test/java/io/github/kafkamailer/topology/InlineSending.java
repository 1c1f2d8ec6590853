package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.sending.InlineSenders;
import io.github.kafkamailer.sending.TenantActivity;
import io.github.kafkamailer.transport.MailTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Sending settings for topology tests: senders on the calling thread, default bounds. */
final class InlineSending {
    private InlineSending() {
    }

    static SendingSettings settings(MailTransport transport, TopicNames topics, MailerMetrics metrics, Clock clock,
                                    Instant mailerStartedAt, RetryPolicy retryPolicy, int batchSize) {
        return new SendingSettings(transport, topics, metrics, clock, mailerStartedAt, new InlineSenders(transport),
                new SendingGate(), retryPolicy, batchSize, SendingSettings.DEFAULT_BATCH_MAX_BYTES,
                Duration.ofSeconds(10), new TenantActivity());
    }
}
