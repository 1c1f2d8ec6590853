package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.DeadLetterKind;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.FailureClass;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sending run of one tenant: the due emails, oldest first, over one transport session. Each email leaves
 * the pending store only once it was delivered, skipped or handed to the dead-letter topic; a failed send
 * stays pending for the next run.
 */
final class SendingRun {
    private static final Logger LOG = LoggerFactory.getLogger(SendingRun.class);
    /** Emails read from the store at a time: bounds the heap whatever the backlog. */
    static final int CHUNK = 500;

    private final String tenant;
    private final MailerConfig config;
    private final KeyValueStore<String, PendingEmail> pending;
    private final KeyValueStore<String, Long> sentIds;
    private final Consumer<Record<byte[], Outbound>> out;
    private final SendingSettings settings;
    private int sent;
    private int failed;
    private int skipped;
    private int deadLettered;
    private int duplicates;

    /** Makes runs; the processor hands it the stores of its own task. */
    record Factory(SendingSettings settings) {
        SendingRun create(String tenant, MailerConfig config, KeyValueStore<String, PendingEmail> pending,
                          KeyValueStore<String, Long> sentIds, Consumer<Record<byte[], Outbound>> out) {
            return new SendingRun(tenant, config, pending, sentIds, out, settings);
        }
    }

    private SendingRun(String tenant, MailerConfig config, KeyValueStore<String, PendingEmail> pending,
                       KeyValueStore<String, Long> sentIds, Consumer<Record<byte[], Outbound>> out,
                       SendingSettings settings) {
        this.tenant = tenant;
        this.config = config;
        this.pending = pending;
        this.sentIds = sentIds;
        this.out = out;
        this.settings = settings;
    }

    /**
     * Sends every email of the tenant due at {@code now}, starting at {@code resumeFrom} (a store key) when an
     * earlier run was cut short. Returns where to resume when the time budget ran out, else null.
     */
    String sendDue(Instant now, String resumeFrom) {
        Instant started = settings.clock().instant();
        Instant deadline = started.plus(settings.maxRunDuration());
        String from = resumeFrom != null ? resumeFrom : PendingKeys.tenantStart(tenant);
        String to = PendingKeys.dueEnd(tenant, now);
        String resumeAt = null;
        try (TransportSession session = settings.transport().open(config)) {
            List<KeyValue<String, PendingEmail>> chunk;
            outer:
            while (!(chunk = readChunk(from, to)).isEmpty()) {
                for (KeyValue<String, PendingEmail> kv : chunk) {
                    if (settings.clock().instant().isAfter(deadline)) {
                        resumeAt = kv.key;
                        break outer;
                    }
                    if (!handle(kv.key, kv.value, session)) {
                        break outer;
                    }
                }
                from = PendingKeys.after(chunk.get(chunk.size() - 1).key);
            }
        }
        logAndMeasure(Duration.between(started, settings.clock().instant()), resumeAt != null);
        return resumeAt;
    }

    private List<KeyValue<String, PendingEmail>> readChunk(String from, String to) {
        List<KeyValue<String, PendingEmail>> chunk = new ArrayList<>(CHUNK);
        try (KeyValueIterator<String, PendingEmail> it = pending.range(from, to)) {
            while (it.hasNext() && chunk.size() < CHUNK) {
                chunk.add(it.next());
            }
        }
        return chunk;
    }

    /** Handles one pending email; false when the server is unusable and the run should stop. */
    private boolean handle(String key, PendingEmail p, TransportSession session) {
        EmailEvent email;
        try {
            email = EmailEventJson.parse(p.value()).withCreatedAtIfAbsent(p.acceptedAt());
        } catch (InvalidRecordException e) {
            // Accepted by an older mailer with laxer rules: it can't be sent as it is.
            deadLetter(key, p, DeadLetterKind.INVALID, e.getMessage());
            return true;
        }
        if (isDuplicate(email.id())) {
            duplicates++;
            pending.delete(key);
            return true;
        }
        if (config.skipPendingOnStart() && email.createdAt().isBefore(settings.mailerStartedAt())) {
            skip(key, p);
            return true;
        }
        SendOutcome outcome = session.send(email);
        if (outcome instanceof SendOutcome.Delivered d) {
            delivered(key, p, email, d);
            return true;
        }
        SendOutcome.Failed f = (SendOutcome.Failed) outcome;
        if (f.failureClass() == FailureClass.INVALID) {
            settings.metrics().failed(tenant, "invalid");
            deadLetter(key, p, DeadLetterKind.INVALID, f.reason());
            return true;
        }
        failed++;
        settings.metrics().failed(tenant, f.failureClass().name());
        LOG.debug("Email '{}' of tenant '{}' not sent ({}), it stays pending: {}", p.emailId(), tenant,
                f.failureClass(), f.reason());
        if (f.serverDown()) {
            LOG.warn("Tenant '{}': {} unusable, the run stops and its emails wait: {}", tenant, f.transport(),
                    f.reason());
            return false;
        }
        return true;
    }

    private boolean isDuplicate(String emailId) {
        return sentIds.get(emailId) != null;
    }

    private void rememberSent(String emailId, Instant at) {
        sentIds.put(emailId, at.plus(Duration.ofDays(config.retentionDays())).toEpochMilli());
    }

    private void delivered(String key, PendingEmail p, EmailEvent email, SendOutcome.Delivered d) {
        sent++;
        rememberSent(p.emailId(), d.acceptedAt());
        pending.delete(key);
        String transport = d.transport().name();
        settings.metrics().sent(tenant, transport);
        settings.metrics().deliveryLatency(tenant, transport, Duration.between(email.createdAt(), d.acceptedAt()));
        String error = d.rejectedRecipients().isEmpty() ? null
                : "refused recipients: " + String.join(", ", d.rejectedRecipients());
        status(p, Status.SENT, p.attempts() + 1, d.transport(), error);
    }

    private void skip(String key, PendingEmail p) {
        skipped++;
        pending.delete(key);
        settings.metrics().skipped(tenant);
        status(p, Status.SKIPPED, p.attempts(), null, "created before the mailer started (skipPendingOnStart)");
    }

    private void deadLetter(String key, PendingEmail p, DeadLetterKind kind, String reason) {
        deadLettered++;
        pending.delete(key);
        settings.metrics().deadLettered(tenant, kind.name());
        LOG.warn("Email '{}' of tenant '{}' sent to {} as {}: {}", p.emailId(), tenant, settings.topics().dlq(), kind,
                reason);
        Instant now = settings.clock().instant();
        out.accept(new Record<>(p.emailId().getBytes(StandardCharsets.UTF_8),
                new Outbound(settings.topics().dlq(), p.value()), now.toEpochMilli(),
                DeadLetters.headers(new RecordHeaders(), kind, reason, p.attempts(), p.firstFailure(), p.source())));
        status(p, Status.DEAD_LETTERED, p.attempts(), null, reason);
    }

    private void status(PendingEmail p, Status status, int attempts, TransportKind transport, String error) {
        Instant now = settings.clock().instant();
        byte[] json = StatusEventJson.write(new StatusEvent(p.emailId(), tenant, status, attempts, now,
                transport != null ? transport : config.transportKind(), error));
        out.accept(new Record<>(p.emailId().getBytes(StandardCharsets.UTF_8),
                new Outbound(settings.topics().status(), json), now.toEpochMilli()));
    }

    private void logAndMeasure(Duration took, boolean cutShort) {
        if (sent + failed + skipped + deadLettered + duplicates == 0) {
            return;
        }
        settings.metrics().batchDuration(tenant, took);
        LOG.info("Tenant '{}' run: sent={} failed={} skipped={} dead-lettered={} duplicates={} in {} ms{}", tenant,
                sent, failed, skipped, deadLettered, duplicates, took.toMillis(),
                cutShort ? " (time budget reached, goes on at the next tick)" : "");
    }
}
