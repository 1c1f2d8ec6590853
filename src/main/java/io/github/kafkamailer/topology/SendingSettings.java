package io.github.kafkamailer.topology;

import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.transport.MailTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What every sending run shares: the transport, where records go, the clock and the limits.
 *
 * @param mailerStartedAt the instant {@code skipPendingOnStart} compares {@code createdAt} with
 * @param maxRunDuration  how long one run may hold the stream thread before it goes on at the next tick
 */
public record SendingSettings(MailTransport transport, TopicNames topics, MailerMetrics metrics, Clock clock,
                              Instant mailerStartedAt, Duration maxRunDuration) {
}
