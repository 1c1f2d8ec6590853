package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a tenant's accepted emails in the pending store and runs its sending: once per
 * {@code campaignIntervalSeconds} of the tenant's current config, the due emails are read in order, a batch at
 * a time, and handed to a sender thread; what comes back is recorded here, on the stream thread, inside the
 * task's transaction. A tick checks every tenant, so each keeps its own interval, a changed interval counts from
 * the last run, and the stream thread never waits on a mail server.
 */
final class SendingProcessor implements Processor<String, PendingEmail, byte[], Outbound> {
    private static final Logger LOG = LoggerFactory.getLogger(SendingProcessor.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final SendingSettings settings;
    private final Duration tick;
    private final Map<String, TenantRun> runs = new HashMap<>();
    private final Map<String, ParsedConfig> configCache = new HashMap<>();
    private final Queue<Batch.Result> completed = new ConcurrentLinkedQueue<>();
    private PendingStore pending;
    private KeyValueStore<String, Long> sentIds;
    private KeyValueStore<String, byte[]> configs;
    private OutcomeRecorder recorder;
    private ProcessorContext<byte[], Outbound> context;
    private Instant lastPurge = Instant.EPOCH;
    private volatile boolean closed;

    /** A tenant's run: when the last one started, and where a run spanning several batches stands. */
    private static final class TenantRun {
        Instant lastRunStart;
        Instant currentRunStart;
        String cursor;
        boolean inFlight;
        /** What was last reported as making the server unusable, so it is said once, not every run. */
        String downReported;
        /** The run's one transport session (one SMTP connection), used by one batch at a time. */
        TransportSession session;
        /** Outcomes recorded but maybe not committed yet: the next batch waits for the next tick. */
        boolean awaitingCommit;
        OutcomeRecorder.RunStats stats = new OutcomeRecorder.RunStats();

        boolean running() {
            return currentRunStart != null;
        }
    }

    private record ParsedConfig(byte[] bytes, MailerConfig config) {
    }

    SendingProcessor(SendingSettings settings, Duration tick) {
        this.settings = settings;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        pending = new PendingStore(context.getStateStore(MailerTopology.PENDING_STORE), settings.metrics());
        sentIds = context.getStateStore(MailerTopology.SENT_IDS_STORE);
        configs = context.getStateStore(MailerTopology.CONFIG_STORE);
        this.context = context;
        recorder = new OutcomeRecorder(pending, sentIds, context::forward, settings);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ts -> onTick(Instant.ofEpochMilli(ts)));
    }

    @Override
    public void process(Record<String, PendingEmail> record) {
        PendingEmail email = record.value();
        pending.put(PendingKeys.of(email.tenant(), email.dueAt(), email.emailId()), email);
    }

    private void onTick(Instant now) {
        runs.values().forEach(r -> r.awaitingCommit = false);
        recordCompleted(now);
        if (!settings.gate().isDraining()) {
            for (Map.Entry<String, MailerConfig> e : tenantConfigs().entrySet()) {
                startBatchIfDue(e.getKey(), e.getValue(), now);
            }
        }
        recordCompleted(now);
        if (now.isAfter(lastPurge.plus(PURGE_EVERY))) {
            purgeExpiredSentIds(now);
            lastPurge = now;
        }
    }

    private void startBatchIfDue(String tenant, MailerConfig config, Instant now) {
        TenantRun run = runs.computeIfAbsent(tenant, t -> new TenantRun());
        if (run.inFlight || run.awaitingCommit || !config.enabled()) {
            return;
        }
        if (!run.running()) {
            if (run.lastRunStart != null && now.isBefore(run.lastRunStart.plusSeconds(config.campaignIntervalSeconds()))) {
                return;
            }
            run.currentRunStart = now;
            run.cursor = PendingKeys.tenantStart(tenant);
        }
        List<Batch.Item> items = new ArrayList<>();
        boolean more = readDue(tenant, config, run, now, items);
        if (items.isEmpty()) {
            if (!more) {
                endRun(tenant, run);
            }
            return;
        }
        if (!settings.gate().tryStart()) {
            return;
        }
        run.inFlight = true;
        if (!more) {
            run.cursor = null;
        }
        try {
            if (run.session == null) {
                run.session = settings.transport().open(config);
            }
            TransportSession session = run.session;
            settings.senders().execute(() -> {
                completed.add(Batch.send(tenant, config, items, session, settings.clock()));
                if (closed) {
                    discardCompleted();
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: the emails stay pending for the next start.
            run.inFlight = false;
            settings.gate().finished();
        }
    }

    /**
     * Reads the next due emails of the tenant, up to a batch, from the run's cursor; settles on the spot those
     * that need no server (duplicates, skipped, unreadable). Returns true when more due emails may follow.
     */
    private boolean readDue(String tenant, MailerConfig config, TenantRun run, Instant now, List<Batch.Item> items) {
        List<KeyValue<String, PendingEmail>> chunk = new ArrayList<>(settings.batchSize());
        try (KeyValueIterator<String, PendingEmail> it = pending.range(run.cursor, PendingKeys.dueEnd(tenant, now))) {
            while (it.hasNext() && chunk.size() < settings.batchSize()) {
                chunk.add(it.next());
            }
        }
        java.util.Set<String> inThisBatch = new java.util.HashSet<>();
        for (KeyValue<String, PendingEmail> kv : chunk) {
            PendingEmail p = kv.value;
            EmailEvent email;
            try {
                email = EmailEventJson.parse(p.value()).withCreatedAtIfAbsent(p.acceptedAt());
            } catch (InvalidRecordException e) {
                // Accepted by an older mailer with laxer rules: it can't be sent as it is.
                recorder.deadLetter(kv.key, p, DeadLetterKind.INVALID, e.getMessage(), config.transportKind(), run.stats,
                        now);
                continue;
            }
            if (recorder.isDuplicate(p.emailId()) || !inThisBatch.add(p.emailId())) {
                // Already sent, or twice in this batch (a producer's retry, a replay): sent once.
                run.stats.duplicates++;
                recorder.duplicate(kv.key);
            } else if (config.skipPendingOnStart() && email.createdAt().isBefore(settings.mailerStartedAt())) {
                recorder.skipped(kv.key, p, config, run.stats, now);
            } else {
                items.add(new Batch.Item(kv.key, p, email));
            }
        }
        if (!chunk.isEmpty()) {
            run.cursor = PendingKeys.after(chunk.get(chunk.size() - 1).key);
        }
        return chunk.size() == settings.batchSize();
    }

    private void recordCompleted(Instant now) {
        Batch.Result result;
        while ((result = completed.poll()) != null) {
            settings.gate().finished();
            if (closed) {
                continue;
            }
            TenantRun run = runs.computeIfAbsent(result.tenant(), t -> new TenantRun());
            run.inFlight = false;
            // Only one batch a tenant may be sent but not committed at a time: that bounds the duplicates a
            // crash can cause to one batch. Ask for the commit now; the next batch starts at the next tick.
            run.awaitingCommit = true;
            context.commit();
            for (Batch.Sent s : result.sent()) {
                recorder.record(s, result.config(), run.stats, now);
            }
            run.stats.sending = run.stats.sending.plus(result.took());
            if (result.serverDown()) {
                reportServerDown(result, run);
                run.cursor = null;
            } else if (run.downReported != null
                    && result.sent().stream().anyMatch(x -> x.outcome() instanceof SendOutcome.Delivered)) {
                LOG.info("Tenant '{}': {} usable again", result.tenant(), result.config().transportKind());
                run.downReported = null;
            }
            if (run.cursor == null) {
                endRun(result.tenant(), run);
            }
        }
    }

    /**
     * One WARN per tenant, reason and config version while the server stays unusable, not one per run: a
     * server down for a day would otherwise write thousands of identical lines.
     */
    private void reportServerDown(Batch.Result result, TenantRun run) {
        String reason = firstServerDownReason(result);
        String key = System.identityHashCode(result.config()) + "|" + reason;
        if (!key.equals(run.downReported)) {
            LOG.warn("Tenant '{}': {} unusable, the run stops and its emails wait for the next one (said once until"
                    + " it changes): {}", result.tenant(), result.config().transportKind(), reason);
            run.downReported = key;
        }
    }

    private static String firstServerDownReason(Batch.Result result) {
        return result.sent().stream()
                .filter(s -> s.outcome() instanceof SendOutcome.Failed f && f.serverDown())
                .map(s -> ((SendOutcome.Failed) s.outcome()).reason())
                .findFirst().orElse("");
    }

    private void endRun(String tenant, TenantRun run) {
        if (!run.stats.isEmpty()) {
            settings.metrics().batchDuration(tenant, run.stats.sending);
            LOG.info("Tenant '{}' run: {} in {} ms", tenant, run.stats, run.stats.sending.toMillis());
        }
        closeSession(run);
        run.lastRunStart = run.currentRunStart;
        run.currentRunStart = null;
        run.cursor = null;
        run.stats = new OutcomeRecorder.RunStats();
    }

    /** Closes the run's connection on a sender thread: a QUIT is network I/O, not the stream thread's business. */
    private void closeSession(TenantRun run) {
        TransportSession session = run.session;
        run.session = null;
        if (session != null) {
            try {
                settings.senders().execute(session::close);
            } catch (RejectedExecutionException e) {
                session.close();
            }
        }
    }

    private Map<String, MailerConfig> tenantConfigs() {
        Map<String, MailerConfig> out = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> it = configs.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                ParsedConfig cached = configCache.get(kv.key);
                if (cached == null || !Arrays.equals(cached.bytes(), kv.value)) {
                    // The table only ever holds configs that passed validation.
                    cached = new ParsedConfig(kv.value, ConfigJson.parse(kv.value));
                    configCache.put(kv.key, cached);
                }
                out.put(kv.key, cached.config());
            }
        }
        configCache.keySet().retainAll(out.keySet());
        return out;
    }

    /** The sent-ids store keeps each id for the tenant's retention; after that a resend is no duplicate. */
    private void purgeExpiredSentIds(Instant now) {
        long nowMs = now.toEpochMilli();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = sentIds.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.value != null && kv.value < nowMs) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(sentIds::delete);
    }

    /**
     * A batch still in flight is not recorded by this task any more: its emails stay pending and are sent by
     * whoever owns the partition next (the bounded duplicates of the contract).
     */
    @Override
    public void close() {
        closed = true;
        discardCompleted();
        runs.values().stream().filter(r -> !r.inFlight).forEach(this::closeSession);
        if (pending != null) {
            pending.close();
        }
    }

    private void discardCompleted() {
        while (completed.poll() != null) {
            settings.gate().finished();
        }
    }
}
