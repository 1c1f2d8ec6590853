package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.failure.DeadLetters;
import io.github.kafkamailer.failure.RetryHeaders;
import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.sending.TenantRun.RunStats;
import io.github.kafkamailer.transport.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of each email, on the stream thread, inside the task's transaction: the sent-ids store,
 * the pending store, the status event, and the hand-over to the retry or dead-letter topic. An email leaves
 * the pending store only here, and only once one of those happened.
 *
 * <p>Once a server accepted an email, recording it can't fail in a way that sends it again: the sent id and
 * the removal from the pending store come first; the status event and the metrics after them are guarded, a
 * failure there logged and counted, never thrown (a thrown exception would abort the transaction and the
 * email would go out a second time).
 *
 * <p>Nothing written here may pass the producer's record limit ({@link RecordLimit}): such a record fails the
 * whole transaction a moment later, and the emails recorded with it go out again, after every restart. So each
 * record is measured before it is written: the retry record and the pending entry it becomes (recipients still to
 * send to are given as bits when their list is long, {@link RecipientPositions}), the dead letter (its list of
 * undelivered recipients cut to what fits, all of them as bits beside it), the status event. The replacement is
 * written before the pending entry is deleted; what can't be recorded is dead-lettered with why, or fails the
 * transaction ({@link #recordingFailed}): never logged and dropped.
 */
final class OutcomeRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);
    /** {@code createdAt} outside [this, now + 1 day] is not a time the email was made: the latency uses acceptedAt. */
    static final Instant EARLIEST_CREATED_AT = Instant.parse("2000-01-01T00:00:00Z");

    private final PendingStore pending;
    private final SentIds sentIds;
    private final Consumer<Record<byte[], Outbound>> out;
    private final SendingSettings settings;
    private final RecordLimit limit;

    OutcomeRecorder(PendingStore pending, SentIds sentIds, Consumer<Record<byte[], Outbound>> out,
                    SendingSettings settings, RecordLimit limit) {
        this.pending = pending;
        this.sentIds = sentIds;
        this.out = out;
        this.settings = settings;
        this.limit = limit;
    }

    boolean isDuplicate(PendingEmail p) {
        // A partial retry is the rest of an email already sent to others: its id is known on purpose.
        return p.onlyRecipients() == null && sentIds.contains(p.tenant(), p.emailId());
    }

    /** A second copy of an email already sent or being sent: dropped, and counted. */
    void duplicate(String key, PendingEmail p, RunStats stats) {
        stats.countDuplicates();
        pending.delete(key);
        guarded(p, "the duplicates counter", () -> settings.metrics().duplicate(p.tenant()));
        LOG.debug("Email '{}' of tenant '{}' is a duplicate of one already sent or in flight: not sent again",
                p.emailId(), p.tenant());
    }

    void skipped(String key, PendingEmail p, MailerConfig config, RunStats stats, Instant now) {
        stats.countSkipped();
        pending.delete(key);
        guarded(p, "the skipped status", () -> {
            settings.metrics().skipped(p.tenant());
            status(p, Status.SKIPPED, p.attempts(), config.transportKind(),
                    "reached " + settings.topics().outbox() + " before the mailer started (skipPendingOnStart)", now);
        });
    }

    /**
     * Every recipient is suppressed: nothing was sent, and that is not a failure. Settled like a delivery (never
     * sent later under the same (tenant, id)), with a {@code SUPPRESSED} status.
     */
    void suppressed(String key, PendingEmail p, List<String> suppressed, MailerConfig config, RunStats stats,
                    Instant now) {
        rememberDone(key, p, now, config);
        guarded(p, "the suppressed status", () -> {
            settings.metrics().suppressed(p.tenant());
            status(p, Status.SUPPRESSED, p.attempts(), config.transportKind(),
                    "every recipient is suppressed: " + String.join(", ", suppressed), now);
        });
    }

    /** Records the outcome of one job; a job not attempted leaves its email pending, no attempt counted. */
    void record(SendResult r, PendingEmail p, MailerConfig config, RunStats stats, Instant now) {
        if (!r.attempted()) {
            return;
        }
        String key = r.job().storeKey();
        SendOutcome outcome = r.outcome();
        if (r.startedFailover()) {
            guarded(p, "the failovers counter", () -> settings.metrics().failover(p.tenant()));
        }
        if (outcome instanceof SendOutcome.Delivered d) {
            delivered(key, p, r.email(), d, r.job().suppressed(), r.server(), config, stats, now);
        } else if (outcome instanceof SendOutcome.Drafted d) {
            drafted(key, p, d, config, stats, now);
        } else {
            failed(key, p, (SendOutcome.Failed) outcome, config, stats, now);
        }
    }

    private void failed(String key, PendingEmail p, SendOutcome.Failed f, MailerConfig config, RunStats stats,
                        Instant now) {
        guarded(p, "the failed counter", () -> settings.metrics().failed(p.tenant(), f.failureClass().name()));
        switch (f.failureClass()) {
            case INVALID -> deadLetter(key, p, DeadLetterKind.INVALID, f.reason(), f.transport(), stats, now);
            case PERMANENT -> {
                stats.countFailed();
                deadLetter(key, p.withAttempt(now, p.dueAt()), DeadLetterKind.PERMANENT, f.reason(), f.transport(),
                        stats, now);
            }
            case TRANSIENT -> {
                stats.countFailed();
                retryOrExpire(key, p, f.reason(), f.transport(), config, stats, now);
            }
        }
    }

    /** Tried again later through the retry topic, or dead-lettered once {@code maxErrorSeconds} have passed. */
    private void retryOrExpire(String key, PendingEmail p, String reason, TransportKind transport, MailerConfig config,
                               RunStats stats, Instant now) {
        Instant first = p.firstFailure() == null ? now : p.firstFailure();
        if (RetryPolicy.expired(first, now, config.maxErrorSeconds())) {
            String rest = p.onlyRecipients() == null ? "" : " (still to send to: " + String.join(", ",
                    p.onlyRecipients()) + ")";
            deadLetter(key, p.withAttempt(now, now), DeadLetterKind.EXPIRED, "still failing " + config.maxErrorSeconds()
                    + " s after the first failure (maxErrorSeconds)" + rest + "; last error: " + reason, transport,
                    stats, now);
            return;
        }
        Instant next = settings.retryPolicy().nextAttempt(now, p.attempts() + 1, config.campaignIntervalSeconds(),
                first, config.maxErrorSeconds());
        PendingEmail retry = withoutSuppressedIfTooBig(p.withAttempt(now, next), reason);
        Headers h = retryHeaders(retry, reason);
        String tooBig = tooBigToRetry(retry, h);
        if (tooBig != null) {
            // Can't happen with the headroom the mailer gives its producer (bits take under 1/48 of the value),
            // only with a max.request.size set lower by hand: said and kept, not lost and not looping.
            deadLetter(key, p.withAttempt(now, now), DeadLetterKind.PERMANENT, "cannot be retried: " + tooBig
                    + "; last error: " + reason, transport, stats, now);
            return;
        }
        stats.countRetried();
        out.accept(new Record<>(key(p), new Outbound(settings.topics().retry(), p.value()), now.toEpochMilli(), h));
        pending.delete(key);
        guarded(p, "the retry status", () -> {
            settings.metrics().retried(p.tenant());
            status(retry, Status.RETRY_SCHEDULED, retry.attempts(), transport, reason, now);
        });
    }

    /** The suppressed list only feeds the final status: dropped rather than the retry when the retry can't hold it. */
    private PendingEmail withoutSuppressedIfTooBig(PendingEmail retry, String reason) {
        if (retry.suppressed().isEmpty() || tooBigToRetry(retry, retryHeaders(retry, reason)) == null) {
            return retry;
        }
        return retry.withSuppressed(List.of());
    }

    /** The retry record's headers: the recipients still to send to listed, or as bits when the list is long. */
    private static Headers retryHeaders(PendingEmail retry, String reason) {
        List<String> only = retry.onlyRecipients();
        byte[] positions = only == null || RecipientPositions.plainIsShort(only) ? null
                : RecipientPositions.of(retry.value(), only);
        Headers h = DeadLetters.retryHeaders(retry.attempts(), retry.firstFailure(), retry.dueAt(),
                retry.acceptedAt(), retry.source(), reason, only, positions);
        if (!retry.suppressed().isEmpty() && RecipientPositions.plainIsShort(retry.suppressed())) {
            h.add(RetryHeaders.SUPPRESSED, String.join("\n", retry.suppressed()).getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }

    /**
     * Null when the retry record and what it becomes (the pending entry on the repartition topic and in the store's
     * changelog) fit the record limit; else why not.
     */
    private String tooBigToRetry(PendingEmail retry, Headers h) {
        // The retry intake dead-letters a retry record it can't read with the record's own headers plus its
        // reason: room for those too.
        long record = RecordLimit.size(key(retry), retry.value(), h) + DEAD_LETTER_HEADERS;
        byte[] entryKey = retry.storeKey().getBytes(StandardCharsets.UTF_8);
        long entry = RecordLimit.size(entryKey, PendingEmailSerde.write(retry), null) + CHANGELOG_HEADERS;
        long larger = Math.max(record, entry);
        return larger <= limit.bytes() ? null : "its retry record would be " + larger + " bytes, past the producer's"
                + " limit of " + limit.bytes() + " (max.request.size)";
    }

    private void delivered(String key, PendingEmail p, EmailEvent email, SendOutcome.Delivered d,
                           List<String> suppressed, String server, MailerConfig config, RunStats stats, Instant now) {
        rememberDone(key, p, d.acceptedAt(), config);
        if (d.partial()) {
            // The server took it for some and deferred others: only those are tried again, nobody twice.
            stats.countPartial();
            String reason = "sent to the other recipients; deferred by the server, retried later for "
                    + String.join(", ", d.deferredRecipients()) + ": " + d.deferredReason()
                    + (d.rejectedRecipients().isEmpty() ? ""
                    : "; refused recipients: " + String.join(", ", d.rejectedRecipients()));
            retryOrExpire(key, p.withOnlyRecipients(d.deferredRecipients()).withSuppressed(suppressed), reason,
                    d.transport(), config, stats, now);
            return;
        }
        stats.countSent();
        guarded(p, "the sent status and metrics", () -> {
            String transport = d.transport().name();
            settings.metrics().sent(p.tenant(), transport);
            settings.metrics().deliveryLatency(p.tenant(), transport,
                    Duration.between(madeAt(email, p, now), d.acceptedAt()));
            String error = d.rejectedRecipients().isEmpty() ? null
                    : "refused recipients: " + String.join(", ", d.rejectedRecipients());
            status(p, Status.SENT, p.attempts() + 1, d.transport(), error, now, suppressed, server,
                    templateOf(email, p));
        });
    }

    /**
     * When the email was made, for the latency: its {@code createdAt} when that is a plausible time (producers
     * write 0001-01-01 for "unset"), else when it reached the outbox.
     */
    static Instant madeAt(EmailEvent email, PendingEmail p, Instant now) {
        Instant c = email == null ? null : email.createdAt();
        if (c == null || c.isBefore(EARLIEST_CREATED_AT) || c.isAfter(now.plus(Duration.ofDays(1)))) {
            return p.acceptedAt();
        }
        return c;
    }

    /**
     * The template the email was rendered from, for its {@code SENT}; null for an email that carried its content. An
     * outcome handed over by a task's previous owner comes without the parsed email: read from the value then.
     */
    private static String templateOf(EmailEvent email, PendingEmail p) {
        if (email != null) {
            return email.template();
        }
        try {
            return EmailEventJson.parse(p.value()).template();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A DRAFT email created in the Outlook mailbox: done like a delivery, but nothing was sent. */
    private void drafted(String key, PendingEmail p, SendOutcome.Drafted d, MailerConfig config, RunStats stats,
                         Instant now) {
        stats.countDrafted();
        rememberDone(key, p, d.draftedAt(), config);
        guarded(p, "the drafted status", () -> status(p, Status.DRAFTED, p.attempts() + 1, d.transport(), null, now));
    }

    /** Never again for this (tenant, id) until retention ends, and out of the pending store. */
    private void rememberDone(String key, PendingEmail p, Instant at, MailerConfig config) {
        Instant safeAt = at == null ? Instant.now() : at;
        sentIds.remember(p.tenant(), p.emailId(), safeAt.plus(Duration.ofDays(config.retentionDays())));
        pending.delete(key);
    }

    void deadLetter(String key, PendingEmail p, DeadLetterKind kind, String reason, TransportKind transport,
                    RunStats stats, Instant now) {
        byte[] k = key(p);
        Headers h = deadLetterHeaders(k, p, kind, reason);
        stats.countDeadLettered();
        out.accept(new Record<>(k, new Outbound(settings.topics().dlq(), p.value()), now.toEpochMilli(), h));
        pending.delete(key);
        guarded(p, "the dead-letter status", () -> {
            settings.metrics().deadLettered(p.tenant(), kind.name());
            LOG.warn("Email '{}' of tenant '{}' sent to {} as {}: {}", p.emailId(), p.tenant(),
                    settings.topics().dlq(), kind, DeadLetters.shorten(reason));
            status(p, Status.DEAD_LETTERED, p.attempts(), transport, reason, now);
        });
    }

    /**
     * The dead letter's headers, within the record limit: the undelivered recipients listed whole when they fit;
     * else as many as fit, a line saying how many more, and all of them as bits. Throws when not even the email
     * with the bare headers fits (a producer limit set below the outbox's by hand): the transaction fails and the
     * email stays pending, rather than vanishing.
     */
    Headers deadLetterHeaders(byte[] k, PendingEmail p, DeadLetterKind kind, String reason) {
        List<String> only = p.onlyRecipients();
        Headers whole = DeadLetters.headers(new RecordHeaders(), kind, reason, p.attempts(), p.firstFailure(),
                p.source(), only);
        if (limit.fits(k, p.value(), whole)) {
            return whole;
        }
        if (only != null) {
            byte[] positions = RecipientPositions.of(p.value(), only);
            for (byte[] bits : positions == null ? new byte[][] {null} : new byte[][] {positions, null}) {
                Headers bare = DeadLetters.headers(new RecordHeaders(), kind, reason, p.attempts(), p.firstFailure(),
                        p.source(), List.of(), only.size(), bits);
                long room = limit.bytes() - RecordLimit.size(k, p.value(), bare);
                if (room < 0) {
                    continue;
                }
                // "\n" + a recipient per line listed; the last line's count may grow by a few digits, no more.
                int n = 0;
                long used = 0;
                for (String r : only) {
                    long b = r.getBytes(StandardCharsets.UTF_8).length + 1L;
                    if (used + b > room - 1) {
                        break;
                    }
                    used += b;
                    n++;
                }
                Headers cut = DeadLetters.headers(new RecordHeaders(), kind, reason, p.attempts(), p.firstFailure(),
                        p.source(), only.subList(0, n), only.size() - n, bits);
                return limit.fits(k, p.value(), cut) ? cut : bare;
            }
        }
        throw new IllegalStateException("the dead letter of email '" + p.emailId() + "' would be "
                + RecordLimit.size(k, p.value(), whole) + " bytes, past the producer's limit of " + limit.bytes()
                + " (max.request.size)");
    }

    /**
     * Recording the outcome of a send failed on the way (a bug, a store failing): never logged and dropped. An
     * email with recipients still to send to (all, or those a server deferred) is dead-lettered with why; one that
     * went to all of them, or if the dead letter fails too, fails the transaction: its outcomes are not committed,
     * the email stays pending (and may be sent again, as after a crash).
     */
    void recordingFailed(SendResult r, PendingEmail p, RunStats stats, Instant now, RuntimeException e) {
        guarded(p, "the recording-failed counter", () -> settings.metrics().recordingFailed(p.tenant()));
        SendOutcome o = r.outcome();
        PendingEmail rest = null;
        TransportKind transport = null;
        if (o instanceof SendOutcome.Failed f) {
            rest = p;
            transport = f.transport();
        } else if (o instanceof SendOutcome.Delivered d && d.partial()) {
            rest = p.withOnlyRecipients(d.deferredRecipients());
            transport = d.transport();
        }
        if (rest == null) {
            throw e;
        }
        LOG.error("Email '{}' of tenant '{}': recording its outcome failed; dead-lettered", p.emailId(), p.tenant(),
                e);
        try {
            deadLetter(r.job().storeKey(), rest.withAttempt(now, now), DeadLetterKind.PERMANENT,
                    "its outcome could not be recorded: " + e, transport, stats, now);
        } catch (RuntimeException again) {
            again.addSuppressed(e);
            throw again;
        }
    }

    private void status(PendingEmail p, Status status, int attempts, TransportKind transport, String error,
                        Instant now) {
        status(p, status, attempts, transport, error, now, List.of(), null);
    }

    private void status(PendingEmail p, Status status, int attempts, TransportKind transport, String error,
                        Instant now, List<String> suppressed, String server) {
        status(p, status, attempts, transport, error, now, suppressed, server, null);
    }

    /**
     * @param server   on {@code SENT}, the server that took it ({@code primary}, {@code fallback}); else null
     * @param template on {@code SENT}, the template the email was rendered from; else null
     */
    private void status(PendingEmail p, Status status, int attempts, TransportKind transport, String error,
                        Instant now, List<String> suppressed, String server, String template) {
        byte[] json = StatusEventJson.write(new StatusEvent(p.emailId(), p.tenant(), status, attempts, now,
                transport, error == null ? null : DeadLetters.shorten(error)).withSuppressed(suppressed)
                .withServer(server).withTemplate(template));
        if (!limit.fits(key(p), json, null)) {
            // Bounded by its fields (a reason cut at 2,000 characters), so never; were it so, it is left out.
            throw new IllegalStateException("its status event would be " + json.length + " bytes, past the"
                    + " producer's limit of " + limit.bytes());
        }
        out.accept(new Record<>(key(p), new Outbound(settings.topics().status(), json), now.toEpochMilli()));
    }

    /**
     * Runs what follows an outcome's essential record (statuses, metrics): a failure there is logged and
     * counted, never thrown into the transaction that holds the sent id.
     */
    private void guarded(PendingEmail p, String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            try {
                settings.metrics().recordingFailed(p.tenant());
            } catch (RuntimeException ignored) {
                // The counter itself failing: the log line below still says it.
            }
            LOG.error("Email '{}' of tenant '{}': recording {} failed; its outcome stands", p.emailId(), p.tenant(),
                    what, e);
        }
    }

    /** Room left for headers Kafka Streams may add to a changelog record (a position vector). */
    static final int CHANGELOG_HEADERS = 1024;
    /** Room left for the dead-letter headers (a reason of 2,000 characters, UTF-8) added to a refused record. */
    static final int DEAD_LETTER_HEADERS = 8 * 1024;

    private static byte[] key(PendingEmail p) {
        return p.emailId().getBytes(StandardCharsets.UTF_8);
    }
}
