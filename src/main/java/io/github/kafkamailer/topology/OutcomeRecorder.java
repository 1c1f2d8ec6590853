package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.DeadLetters;
import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of each email, on the stream thread, inside the task's transaction: the sent-ids store,
 * the pending store, the status event, and the hand-over to the retry or dead-letter topic. An email leaves
 * the pending store only here, and only once one of those happened.
 */
final class OutcomeRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final PendingStore pending;
    private final KeyValueStore<String, Long> sentIds;
    private final Consumer<Record<byte[], Outbound>> out;
    private final SendingSettings settings;

    OutcomeRecorder(PendingStore pending, KeyValueStore<String, Long> sentIds,
                    Consumer<Record<byte[], Outbound>> out, SendingSettings settings) {
        this.pending = pending;
        this.sentIds = sentIds;
        this.out = out;
        this.settings = settings;
    }

    boolean isDuplicate(String emailId) {
        return sentIds.get(emailId) != null;
    }

    void duplicate(String key) {
        pending.delete(key);
    }

    void skipped(String key, PendingEmail p, MailerConfig config, RunStats stats, Instant now) {
        stats.skipped++;
        pending.delete(key);
        settings.metrics().skipped(p.tenant());
        status(p, Status.SKIPPED, p.attempts(), config.transportKind(),
                "created before the mailer started (skipPendingOnStart)", now);
    }

    /** Records the outcome of one send; a null outcome (not attempted) leaves the email pending. */
    void record(Batch.Sent s, MailerConfig config, RunStats stats, Instant now) {
        if (s.outcome() == null) {
            return;
        }
        Batch.Item item = s.item();
        if (s.outcome() instanceof SendOutcome.Delivered d) {
            delivered(item, d, config, stats, now);
            return;
        }
        if (s.outcome() instanceof SendOutcome.Drafted d) {
            drafted(item, d, config, stats, now);
            return;
        }
        SendOutcome.Failed f = (SendOutcome.Failed) s.outcome();
        settings.metrics().failed(item.pending().tenant(), f.failureClass().name());
        switch (f.failureClass()) {
            case INVALID -> deadLetter(item.key(), item.pending(), DeadLetterKind.INVALID, f.reason(), f.transport(),
                    stats, now);
            case PERMANENT -> {
                stats.failed++;
                PendingEmail attempted = item.pending().withAttempt(now, item.pending().dueAt());
                deadLetter(item.key(), attempted, DeadLetterKind.PERMANENT, f.reason(), f.transport(), stats, now);
            }
            case TRANSIENT -> transientFailure(item, f, config, stats, now);
        }
    }

    private void transientFailure(Batch.Item item, SendOutcome.Failed f, MailerConfig config, RunStats stats,
                                  Instant now) {
        stats.failed++;
        PendingEmail p = item.pending();
        Instant first = p.firstFailure() == null ? now : p.firstFailure();
        if (RetryPolicy.expired(first, now, config.maxErrorSeconds())) {
            PendingEmail attempted = p.withAttempt(now, now);
            deadLetter(item.key(), attempted, DeadLetterKind.EXPIRED, "still failing " + config.maxErrorSeconds()
                    + " s after the first failure (maxErrorSeconds); last error: " + f.reason(), f.transport(), stats, now);
            return;
        }
        Instant next = settings.retryPolicy().nextAttempt(now, p.attempts() + 1, config.campaignIntervalSeconds(),
                first, config.maxErrorSeconds());
        PendingEmail retry = p.withAttempt(now, next);
        stats.retried++;
        pending.delete(item.key());
        settings.metrics().retried(p.tenant());
        Headers h = DeadLetters.retryHeaders(retry.attempts(), retry.firstFailure(), next, retry.acceptedAt(),
                retry.source(), f.reason());
        out.accept(new Record<>(key(p), new Outbound(settings.topics().retry(), p.value()), now.toEpochMilli(), h));
        status(retry, Status.RETRY_SCHEDULED, retry.attempts(), f.transport(), f.reason(), now);
    }

    private void delivered(Batch.Item item, SendOutcome.Delivered d, MailerConfig config, RunStats stats,
                           Instant now) {
        stats.sent++;
        PendingEmail p = item.pending();
        rememberDone(item, d.acceptedAt(), config);
        String transport = d.transport().name();
        settings.metrics().sent(p.tenant(), transport);
        EmailEvent email = item.email();
        settings.metrics().deliveryLatency(p.tenant(), transport, Duration.between(email.createdAt(), d.acceptedAt()));
        String error = d.rejectedRecipients().isEmpty() ? null
                : "refused recipients: " + String.join(", ", d.rejectedRecipients());
        status(p, Status.SENT, p.attempts() + 1, d.transport(), error, now);
    }

    /** A DRAFT email created in the Outlook mailbox: done like a delivery, but nothing was sent. */
    private void drafted(Batch.Item item, SendOutcome.Drafted d, MailerConfig config, RunStats stats, Instant now) {
        stats.drafted++;
        PendingEmail p = item.pending();
        rememberDone(item, d.draftedAt(), config);
        status(p, Status.DRAFTED, p.attempts() + 1, d.transport(), null, now);
    }

    /** Never again for this id (until retention ends), and out of the pending store. */
    private void rememberDone(Batch.Item item, Instant at, MailerConfig config) {
        sentIds.put(item.pending().emailId(), at.plus(Duration.ofDays(config.retentionDays())).toEpochMilli());
        pending.delete(item.key());
    }

    void deadLetter(String key, PendingEmail p, DeadLetterKind kind, String reason, TransportKind transport,
                    RunStats stats, Instant now) {
        stats.deadLettered++;
        pending.delete(key);
        settings.metrics().deadLettered(p.tenant(), kind.name());
        LOG.warn("Email '{}' of tenant '{}' sent to {} as {}: {}", p.emailId(), p.tenant(), settings.topics().dlq(),
                kind, reason);
        out.accept(new Record<>(key(p), new Outbound(settings.topics().dlq(), p.value()), now.toEpochMilli(),
                DeadLetters.headers(new RecordHeaders(), kind, reason, p.attempts(), p.firstFailure(), p.source())));
        status(p, Status.DEAD_LETTERED, p.attempts(), transport, reason, now);
    }

    private void status(PendingEmail p, Status status, int attempts, TransportKind transport, String error,
                        Instant now) {
        byte[] json = StatusEventJson.write(new StatusEvent(p.emailId(), p.tenant(), status, attempts, now,
                transport, error == null ? null : DeadLetters.shorten(error)));
        out.accept(new Record<>(key(p), new Outbound(settings.topics().status(), json), now.toEpochMilli()));
    }

    private static byte[] key(PendingEmail p) {
        return p.emailId().getBytes(StandardCharsets.UTF_8);
    }

    private static void add(Headers h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** What one run of one tenant did, for its log line. */
    static final class RunStats {
        int sent;
        int drafted;
        int failed;
        int retried;
        int skipped;
        int deadLettered;
        int duplicates;
        Duration sending = Duration.ZERO;

        boolean isEmpty() {
            return sent + drafted + failed + retried + skipped + deadLettered + duplicates == 0;
        }

        @Override
        public String toString() {
            return "sent=" + sent + " drafted=" + drafted + " failed=" + failed + " retried=" + retried
                    + " dead-lettered=" + deadLettered + " skipped=" + skipped + " duplicates=" + duplicates;
        }
    }

}
