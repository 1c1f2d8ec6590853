package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.sending.TenantRun;
import io.github.kafkamailer.sending.TenantSender;
import io.github.kafkamailer.transport.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * Holds a tenant's accepted emails in the pending store and drives its sending runs ({@link TenantRun}): once
 * per {@code campaignIntervalSeconds} of the tenant's current config a run starts, reads the due emails in key
 * order and hands them to the run's senders (off the stream thread) as fast as its bounds allow; what comes
 * back is recorded here, on the stream thread, inside the task's transaction.
 *
 * <p>The crash bound: emails handed out and not yet committed never exceed {@code batchSize} per tenant. Each
 * tick first records what came back and asks for a commit (Kafka Streams makes it right after the tick); the
 * places those outcomes held are given out again only at the next tick, once they are committed. A crash can
 * therefore send again at most {@code batchSize} emails of a tenant: those in flight.
 *
 * <p>A move sends nothing twice: what is in flight when a task is let go is marked in its state, waited for and
 * handed over to the task's next owner, which holds those emails back until then ({@link InFlightMarkers}).
 */
final class SendingProcessor implements Processor<String, PendingEmail, byte[], Outbound> {
    private static final Logger LOG = LoggerFactory.getLogger(SendingProcessor.class);
    /** Entries settled without a server (duplicates, skipped) read per tick beyond the room: the tick stays short. */
    private static final int MAX_SETTLED_PER_TICK = 1000;
    /** Expired sent ids forgotten per punctuation: the work per punctuation is bounded, not the history. */
    private static final int EXPIRED_PER_PUNCTUATION = 5000;
    /** The least a HIGH email's place is remembered (beyond a day's margin), whatever its tenant's retention. */
    private static final int SOURCES_KEPT_DAYS = 7;
    private static final Duration GAUGES_EVERY = Duration.ofSeconds(1);
    /** Inline senders (tests) return outcomes within the tick: a few rounds of record and hand out per tick. */
    private static final int ROUNDS_PER_TICK = 8;

    private final SendingSettings settings;
    private final Duration tick;
    private final RecordLimit limit;
    private final ConfigChanges configChanges;
    private final HighInbox highInbox;
    /** This task's queue in {@link #highInbox}, while it runs. */
    private java.util.Queue<PendingEmail> inbox;
    /**
     * A run per tenant that had pending emails in this task, with what it has out with senders: it remembers the
     * last start, slow-downs, the rate, and owns its emails in flight ({@link TenantSending}).
     */
    private final Map<String, TenantSending> runs = new HashMap<>();
    /** The tenants whose run is not IDLE: the only ones a tick walks. */
    private final Set<String> running = new LinkedHashSet<>();
    /** The idle tenants with pending emails, by when to look at them again. */
    private final TenantWakeUps wakeUps = new TenantWakeUps();
    private final BlockingQueue<Returned> returned = new LinkedBlockingQueue<>();
    /** Counts the ticks: what a run recorded counts against its room until the tick's commit. */
    private long tickCount;
    private PendingStore pending;
    private SentIds sentIds;
    /** The HIGH emails taken in, by their place in the outbox: the second copy of one is dropped. */
    private SentIds highSources;
    private TenantConfigs configs;
    private SavedRateWindows rateWindows;
    private OutcomeRecorder recorder;
    private InFlightMarkers markers;
    private HandoverIntake handovers;
    private SuppressionCheck suppressions;
    private ProcessorContext<byte[], Outbound> context;
    private Instant lastGauges = Instant.EPOCH;
    private volatile boolean closed;

    /** A result and the tenant whose run it belongs to. */
    private record Returned(String tenant, SendResult result) {
    }

    SendingProcessor(SendingSettings settings, Duration tick, RecordLimit limit, ConfigChanges configChanges,
                     HighInbox highInbox) {
        this.highInbox = highInbox;
        this.settings = settings;
        this.tick = tick;
        this.limit = limit;
        this.configChanges = configChanges;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
        pending = new PendingStore(context.getStateStore(StoreNames.PENDING_STORE),
                context.getStateStore(StoreNames.PENDING_COUNTS_STORE), settings.metrics());
        sentIds = new SentIds(context.getStateStore(StoreNames.SENT_IDS_STORE),
                context.getStateStore(StoreNames.SENT_EXPIRY_STORE));
        highSources = new SentIds(context.getStateStore(StoreNames.HIGH_SOURCES_STORE),
                context.getStateStore(StoreNames.HIGH_SOURCES_EXPIRY_STORE));
        KeyValueStore<String, byte[]> configTable = context.getStateStore(StoreNames.CONFIG_STORE);
        configs = new TenantConfigs(configTable, configChanges);
        rateWindows = new SavedRateWindows(context.getStateStore(StoreNames.RATE_STORE));
        recorder = new OutcomeRecorder(pending, sentIds, context::forward, settings, limit);
        markers = new InFlightMarkers(context.getStateStore(StoreNames.IN_FLIGHT_STORE),
                Instant.ofEpochMilli(context.currentSystemTimeMs()),
                settings.handover().holdBack());
        handovers = new HandoverIntake(markers, pending);
        suppressions = new SuppressionCheck(context.getStateStore(StoreNames.SUPPRESSIONS_STORE), recorder);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (String tenant : pending.tenants()) {
            runFor(tenant, now);
            wakeUps.wakeAt(tenant, now);
        }
        inbox = highInbox.register(context.taskId().partition());
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ts -> onTick(Instant.ofEpochMilli(ts)));
        context.schedule(settings.expiryEvery(), PunctuationType.WALL_CLOCK_TIME,
                ts -> forgetExpiredSentIds(Instant.ofEpochMilli(ts)));
        UnconfiguredExpiry unconfigured = new UnconfiguredExpiry(pending, configTable, recorder, this::isInFlight);
        context.schedule(settings.expiryEvery(), PunctuationType.WALL_CLOCK_TIME,
                ts -> unconfigured.expire(Instant.ofEpochMilli(ts), UnconfiguredExpiry.PER_PUNCTUATION));
    }

    @Override
    public void process(Record<String, PendingEmail> record) {
        PendingEmail email = record.value();
        if (HandoverIntake.isHandover(record.headers())) {
            recordHandover(record, Instant.ofEpochMilli(context.currentSystemTimeMs()));
            return;
        }
        takeIn(email);
    }

    /** An email into the store and its tenant's run: from the repartition topics or, HIGH, handed in memory. */
    private void takeIn(PendingEmail email) {
        // A retry keeps its email's source and comes once, from the retry topic: only an outbox record has two ways.
        if (email.isHigh() && email.attempts() == 0 && !firstCopy(email)) {
            return;
        }
        String key = email.storeKey();
        pending.put(key, email);
        // The count goes with the email, in the same commit: a task that starts finds its tenants by their counts.
        pending.flush();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        TenantRun run = runFor(email.tenant(), now).run();
        run.arrived(now);
        if (run.state().isIdle()) {
            // A HIGH email wakes its tenant when it is due, its run starts then (not at the next interval).
            wakeUps.wakeAt(email.tenant(), email.dueAt());
        }
        if (!PendingKeys.isHigh(key)) {
            // A HIGH email is read from its own range, never by the cursor of the normal ones.
            LateArrivals.arrived(run, key);
        }
    }

    /**
     * False for the second copy of a HIGH email's outbox record: one comes from the intake, one may come from the read
     * ahead of it ({@link HighLookahead}), in either order. Dropped quietly: it is not a producer's duplicate (that
     * one has a place of its own and is counted as before). Remembered until the record is gone from the outbox.
     */
    private boolean firstCopy(PendingEmail email) {
        if (highSources.contains(email.tenant(), email.source())) {
            LOG.debug("HIGH email '{}' of tenant '{}' at {} was taken in already: its second copy is dropped",
                    email.emailId(), email.tenant(), email.source());
            return false;
        }
        MailerConfig config = configs.get(email.tenant());
        int days = Math.max(config == null ? 0 : config.retentionDays(), SOURCES_KEPT_DAYS);
        highSources.remember(email.tenant(), email.source(), email.acceptedAt().plus(Duration.ofDays(days + 1L)));
        return true;
    }

    /** True while the email under a store key is with a sender of its tenant's run. */
    private boolean isInFlight(String storeKey) {
        TenantSending s = runs.get(PendingKeys.tenantOf(storeKey));
        return s != null && s.holds(storeKey);
    }

    private void onTick(Instant now) {
        tickCount++;
        // First: a HIGH email the look-ahead or the intake handed in goes out in this tick's hand-out.
        PendingEmail handedIn;
        while ((handedIn = highInbox.take(inbox)) != null) {
            takeIn(handedIn);
        }
        applyConfigChanges(now);
        for (int round = 0; round < ROUNDS_PER_TICK; round++) {
            boolean recorded = recordReturned(now);
            boolean handedOut = settings.gate().isDraining() ? haltAll(now) : runTenants(now);
            endFinishedRuns(now);
            if (!recorded && !handedOut) {
                break;
            }
        }
        if (rateWindows.save(running, t -> runs.get(t).run(), now)) {
            // The window goes with what was handed out, in the same commit: a restart or a move counts them.
            context.commit();
        }
        pending.flush();
        if (!now.isBefore(lastGauges.plus(GAUGES_EVERY))) {
            updateGauges(now);
            lastGauges = now;
        }
    }

    /**
     * Starts the runs that are due and hands out what each running tenant may; true when something was handed
     * out. Only the tenants whose wake-up came and those with a run are looked at: idle ones cost nothing.
     */
    private boolean runTenants(Instant now) {
        for (String tenant : wakeUps.takeDue(now)) {
            startIfDue(runs.get(tenant).run(), now);
        }
        boolean handedOut = false;
        for (String tenant : running) {
            TenantSending sending = runs.get(tenant);
            if (sending.run().state().handsOut()) {
                handedOut |= handOutDue(sending, now);
            }
        }
        return handedOut;
    }

    /**
     * An idle tenant with pending emails whose wake-up came: its run starts when its interval passed and its
     * first email is due; else it is looked at again when that will be. A tenant without a usable config (none,
     * or disabled) waits for its next config: no run, no sender, nothing per tick.
     */
    private void startIfDue(TenantRun run, Instant now) {
        String tenant = run.tenant();
        if (!run.state().isIdle() || pending.count(tenant) <= 0) {
            return;
        }
        Instant startAt = run.nextStartAt();
        if (startAt == null) {
            return;
        }
        KeyValue<String, PendingEmail> high = pending.firstHigh(tenant);
        Instant highAt = high == null ? null : HighLane.startAt(run, high.value);
        if (now.isBefore(startAt) && (highAt == null || now.isBefore(highAt))) {
            wakeUps.wakeAt(tenant, highAt == null || startAt.isBefore(highAt) ? startAt : highAt);
            return;
        }
        KeyValue<String, PendingEmail> first = pending.firstNormal(tenant);
        boolean highDue = highAt != null && !now.isBefore(highAt);
        if (!highDue) {
            // Started by its interval: when its first email, normal or HIGH, is due.
            Instant firstDue = HighLane.earliest(first == null ? null : first.value.dueAt(),
                    high == null ? null : high.value.dueAt());
            if (firstDue == null) {
                return;
            }
            if (firstDue.isAfter(now)) {
                wakeUps.wakeAt(tenant, firstDue);
                return;
            }
        }
        MailerConfig config = run.config();
        TenantSender sender = settings.senders().open(tenant, config, config.smtpConnections(),
                r -> onReturned(tenant, r));
        if (now.isBefore(startAt)) {
            // Before the interval: a run for the HIGH emails alone; the normal ones keep their interval.
            run.startForHigh(now, sender);
        } else {
            // The run's cursor walks the normal emails; the HIGH ones are read from their own range at every hand-out.
            run.start(now, sender, firstNormalKey(first, tenant));
        }
        running.add(tenant);
    }

    private static String firstNormalKey(KeyValue<String, PendingEmail> first, String tenant) {
        return first != null ? first.key : PendingKeys.normalStart(tenant);
    }

    /**
     * The tenants whose config changed: each run is told (a run in progress halts only when the new version sends
     * through another server, disables the tenant or removes its config; see {@link TenantRun#configChanged}),
     * and an idle tenant with pending emails is looked at again under its new interval.
     */
    private void applyConfigChanges(Instant now) {
        for (String tenant : configs.changed()) {
            TenantSending sending = runs.get(tenant);
            if (sending == null) {
                // Nothing pending here: its config is read when its first email arrives.
                continue;
            }
            TenantRun run = sending.run();
            if (run.configChanged(configs.get(tenant), now)) {
                LOG.info("Tenant '{}': its new config sends through another server, disables it or is removed:"
                        + " the run in progress stops, the next one uses the new config", tenant);
            }
            restoreRateWindowOnce(run, now);
            if (run.state().isIdle() && pending.count(tenant) > 0) {
                wakeUps.wakeAt(tenant, now);
            }
        }
    }

    /** The tenant's run, made with the tenant's config when the tenant is first met in this task. */
    private TenantSending runFor(String tenant, Instant now) {
        TenantSending sending = runs.get(tenant);
        if (sending == null) {
            TenantRun run = new TenantRun(tenant);
            sending = new TenantSending(run, settings.gate(), markers, rateWindows);
            runs.put(tenant, sending);
            MailerConfig config = configs.get(tenant);
            if (config != null) {
                run.useConfig(config, now);
                restoreRateWindowOnce(run, now);
            }
        }
        return sending;
    }

    private void restoreRateWindowOnce(TenantRun run, Instant now) {
        rateWindows.restoreOnce(run, now);
    }

    /**
     * Hands out what the run may now, in three steps: the room it has ({@link #roomNow}), what is due within that
     * room ({@link #readDue}), and the hand-out ({@link #handOut}). Returns true when it handed something out.
     */
    private boolean handOutDue(TenantSending sending, Instant now) {
        DueBatch.Room room = roomNow(sending, now);
        if (room == null) {
            return false;
        }
        return handOut(sending, readDue(sending, room, now), now);
    }

    /**
     * What can go now: emails within {@code batchSize} in flight (outcomes recorded in this tick still count, they
     * are not committed yet) and the rate window; bytes within the run's and the process's bounds. Null when no
     * email may go.
     */
    private DueBatch.Room roomNow(TenantSending sending, Instant now) {
        int emails = sending.room(now, settings.batchSize(), tickCount);
        if (emails <= 0) {
            return null;
        }
        long bytes = Math.min(settings.batchMaxBytes() - sending.run().inFlightBytes(), settings.gate().bytesRoom());
        return new DueBatch.Room(emails, bytes);
    }

    /**
     * Reads the run's next due emails, in key order from its cursor, as many as the room takes; settles on the spot
     * those that need no server (duplicates, skipped) and takes the others for the hand-out.
     */
    private DueBatch readDue(TenantSending sending, DueBatch.Room room, Instant now) {
        TenantRun run = sending.run();
        DueBatch batch = new DueBatch(room, run.inFlight() > 0);
        if (pending.hasHigh(run.tenant())) {
            readHighDue(sending, batch, now);
        }
        if (run.highOnly()) {
            Instant interval = run.nextStartAt();
            if (interval == null || now.isBefore(interval)) {
                return batch;
            }
            // Its interval came while it sent HIGH emails: it is the interval's run from now on.
            run.widen(now, firstNormalKey(pending.firstNormal(run.tenant()), run.tenant()));
        }
        String dueEnd = PendingKeys.dueEnd(run.tenant(), now);
        // A run starts at the tenant's first pending email, which may be due later (a retry), and a wall clock
        // may go back: the cursor is then after every due key, nothing is due, and no range is read (one from
        // after its end would make the store warn on every tick).
        if (KeyFloor.compare(run.cursor(), dueEnd) > 0) {
            return batch;
        }
        try (KeyValueIterator<String, PendingEmail> it = pending.range(run.cursor(), dueEnd)) {
            while (it.hasNext()) {
                if (batch.isFull(MAX_SETTLED_PER_TICK) || !takeOrSettle(sending, batch, it.next(), now)) {
                    batch.stopped();
                    break;
                }
            }
        }
        return batch;
    }

    /**
     * The tenant's due HIGH emails, ahead of the normal ones and within the same room (they take the next places
     * of the rate window): read from their own key range at every hand-out, so a HIGH email that arrives while a
     * run goes through a long backlog goes next. The run's cursor is not theirs: those with a sender now are
     * stepped over, and a HIGH email a read can't take now stays for the next.
     */
    private void readHighDue(TenantSending sending, DueBatch batch, Instant now) {
        try (KeyValueIterator<String, PendingEmail> it = pending.highDue(sending.tenant(), now)) {
            while (it.hasNext() && !batch.isFull(MAX_SETTLED_PER_TICK)) {
                KeyValue<String, PendingEmail> kv = it.next();
                if (sending.holds(kv.key)) {
                    continue;
                }
                if (!takeOrSettle(sending, batch, kv, now)) {
                    batch.stopped();
                    return;
                }
            }
        }
    }

    /**
     * One due entry: taken for the hand-out, or settled on the spot (a duplicate, skipped), and the run's cursor
     * moves past it (a normal one's: HIGH emails are read from their own range); false when the run stops before it
     * (the cursor stays before it).
     */
    private boolean takeOrSettle(TenantSending sending, DueBatch batch, KeyValue<String, PendingEmail> kv,
                                 Instant now) {
        TenantRun run = sending.run();
        PendingEmail p = kv.value;
        if (LateArrivals.alreadyHandedOut(run, kv.key, sending::holds)) {
            return true;
        }
        if (markers.holdsBack(kv.key, run.tenant(), p.emailId(), now)) {
            // In flight at the task's previous owner: its outcome comes as a handover; the run waits here.
            return false;
        }
        if (!batch.fits(p)) {
            // Too big to go with what is in flight: it goes first in a later tick, the cursor stays before it.
            return false;
        }
        if (!PendingKeys.isHigh(kv.key)) {
            run.advanceCursor(PendingKeys.after(kv.key));
        }
        MailerConfig config = run.config();
        if (recorder.isDuplicate(p) || sending.isInFlight(p.emailId()) || batch.took(p.emailId())) {
            batch.settled();
            recorder.duplicate(kv.key, p, run.stats());
        } else if (config.skipPendingOnStart() && p.acceptedAt().isBefore(settings.mailerStartedAt())) {
            batch.settled();
            recorder.skipped(kv.key, p, config, run.stats(), now);
        } else {
            SendJob job = suppressions.jobFor(kv.key, p, config, run.stats(), now);
            if (job == null) {
                batch.settled(); // every recipient suppressed: settled as SUPPRESSED
            } else {
                batch.take(job, p);
            }
        }
        return true;
    }

    /**
     * Hands out what was read, in one call to the run ({@link TenantSending#handOut}). With nothing to hand out, a
     * run that read to the end of what is due with nothing in flight lingers while the tenant's emails are still
     * arriving, else drains.
     */
    private boolean handOut(TenantSending sending, DueBatch batch, Instant now) {
        TenantRun run = sending.run();
        if (batch.isEmpty()) {
            if (batch.reachedEnd() && run.inFlight() == 0) {
                run.nothingMoreDue(now);
            }
            return false;
        }
        if (!sending.handOut(batch.jobs(), batch.entries(), batch.bytes(), now)) {
            // Shutting down: the emails stay pending for the next start; read them again from the first normal one
            // (the HIGH ones are read from their own range anyway).
            batch.jobs().stream().map(j -> j.storeKey()).filter(k -> !PendingKeys.isHigh(k)).findFirst()
                    .ifPresent(run::advanceCursor);
            return false;
        }
        return true;
    }

    /** From a sender thread: queued for the stream thread, which alone touches stores and runs. */
    private void onReturned(String tenant, SendResult r) {
        if (closed) {
            // The task is gone: the email stays pending for whoever owns the partition next.
            settings.gate().finished(1, r.job().bytes());
            return;
        }
        returned.add(new Returned(tenant, r));
        if (closed && returned.remove(new Returned(tenant, r))) {
            settings.gate().finished(1, r.job().bytes());
        }
    }

    /** Records what came back since the last round and asks for a commit; true when something was recorded. */
    private boolean recordReturned(Instant now) {
        int n = 0;
        Returned x;
        while ((x = returned.poll()) != null) {
            n++;
            TenantSending sending = runs.get(x.tenant());
            TenantRun run = sending.run();
            SendResult r = x.result();
            PendingEmail p = sending.returned(r, now, tickCount);
            if (p == null) {
                continue;
            }
            try {
                recorder.record(r, p, run.config(), run.stats(), now);
            } catch (RuntimeException e) {
                // Its pending entry may be gone already: dead-lettered with why, or the transaction fails.
                recorder.recordingFailed(r, p, run.stats(), now, e);
            }
            afterOutcome(run, r, now);
        }
        if (n > 0) {
            // Committed right after this tick: the bound on what a crash can send twice.
            context.commit();
        }
        return n > 0;
    }

    /** A server that is unusable or asks to slow down stops the tenant's run; said once, not once per run. */
    private void afterOutcome(TenantRun run, SendResult r, Instant now) {
        SendOutcome o = r.outcome();
        if (o instanceof SendOutcome.Failed f) {
            settings.activity().failed(run.tenant(), f.reason(), now);
            if (f.stopsRun()) {
                run.halt(now, f.slowDown());
                String why = f.slowDown() != null ? "asked to slow down" : "unusable";
                if (run.firstReportOf(System.identityHashCode(run.config()) + "|" + f.reason())) {
                    LOG.warn("Tenant '{}': {} {}, the run stops and its emails wait for the next one (said once"
                            + " until it changes): {}", run.tenant(), run.config().transportKind(), why, f.reason());
                }
            }
        } else if (o instanceof SendOutcome.Delivered d) {
            if (d.partial()) {
                settings.activity().failed(run.tenant(), d.deferredReason(), now);
            }
            if (run.recovered()) {
                LOG.info("Tenant '{}': {} usable again", run.tenant(), d.transport());
            }
        }
    }

    private void endFinishedRuns(Instant now) {
        for (Iterator<String> it = running.iterator(); it.hasNext(); ) {
            TenantRun run = runs.get(it.next()).run();
            if (!run.canEnd()) {
                continue;
            }
            it.remove();
            Instant started = run.lastRunStart();
            TenantRun.RunStats stats = run.end();
            if (!stats.isEmpty()) {
                Duration took = Duration.between(started, now);
                settings.metrics().batchDuration(run.tenant(), took);
                LOG.info("Tenant '{}' run: {} in {} ms", run.tenant(), stats, took.toMillis());
            }
            if (!stats.isEmpty() || pending.count(run.tenant()) > 0) {
                settings.activity().runEnded(run.tenant(), now);
            }
            Instant next = run.nextStartAt();
            if (pending.count(run.tenant()) > 0 && next != null) {
                wakeUps.wakeAt(run.tenant(), next);
                if (pending.hasHigh(run.tenant())) {
                    // A HIGH email that came while the run drained: looked at now, not at the next interval.
                    wakeUps.wakeAt(run.tenant(), now);
                }
            }
        }
    }

    /** Draining for shutdown: nothing more goes out, queued emails come back not attempted. */
    private boolean haltAll(Instant now) {
        running.forEach(t -> runs.get(t).run().halt(now, null));
        return false;
    }

    /** Its own punctuation: the sent ids whose retention ended, a bounded number at a time. */
    private void forgetExpiredSentIds(Instant now) {
        int n = sentIds.forgetExpired(now, EXPIRED_PER_PUNCTUATION);
        highSources.forgetExpired(now, EXPIRED_PER_PUNCTUATION);
        if (n > 0) {
            LOG.debug("Forgot {} sent id(s) past their retention", n);
        }
    }

    /** Per tenant of this task: how long its earliest-due pending email has waited since it reached the outbox. */
    private void updateGauges(Instant now) {
        for (String tenant : runs.keySet()) {
            if (pending.count(tenant) <= 0) {
                if (runs.get(tenant).run().lastRunStart() != null) {
                    settings.metrics().oldestPendingAge(tenant, 0);
                }
                continue;
            }
            KeyValue<String, PendingEmail> first = pending.first(tenant);
            if (first != null) {
                settings.activity().firstPending(tenant, first.value.acceptedAt());
            }
            long age = first == null ? 0 : Duration.between(first.value.acceptedAt(), now).toSeconds();
            settings.metrics().oldestPendingAge(tenant, age);
        }
    }

    /** What is still in flight when the task is let go: waited for, and handed over to its next owner. */
    private void handOver(Instant now) {
        if (inFlightInTask() == 0 || markers == null) {
            return;
        }
        TaskHandover out = new TaskHandover(settings.handover(), markers.incarnation(), context.applicationId(),
                context.taskId());
        try {
            Returned x;
            while (inFlightInTask() > 0 && (x = returned.poll(out.nanosLeft(), TimeUnit.NANOSECONDS)) != null) {
                PendingEmail p = runs.get(x.tenant()).settle(x.result(), now);
                if (p != null) {
                    out.handOver(p, x.result());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.finish(inFlightInTask());
    }

    /** The emails with senders over all of this task's runs. */
    private int inFlightInTask() {
        int n = 0;
        for (String tenant : running) {
            n += runs.get(tenant).inFlightCount();
        }
        return n;
    }

    /** An outcome the task's previous owner handed over: recorded as if this task's senders had returned it. */
    private void recordHandover(Record<String, PendingEmail> record, Instant now) {
        HandoverIntake.Settled x = handovers.accept(record.headers());
        if (x == null) {
            return;
        }
        String tenant = x.email().tenant();
        TenantRun run = runs.containsKey(tenant) ? runs.get(tenant).run() : null;
        MailerConfig config = configs.get(tenant);
        if (config == null && run != null) {
            config = run.config();
        }
        if (config == null) {
            LOG.warn("Tenant '{}': email '{}' was {} by this task's previous owner, but the tenant's config was"
                    + " deleted meanwhile: it stays pending and is sent again once the tenant has a config", tenant,
                    x.email().emailId(), x.handover().kind());
            return;
        }
        TenantRun.RunStats stats = run == null ? new TenantRun.RunStats() : run.stats();
        try {
            recorder.record(x.result(), x.email(), config, stats, now);
        } catch (RuntimeException e) {
            // As for an outcome of this task's own senders: dead-lettered with why, or the transaction fails.
            recorder.recordingFailed(x.result(), x.email(), stats, now, e);
        }
        pending.flush();
    }

    /**
     * Kafka Streams closes a task's processors after its last commit (a move, a shutdown): what is still in flight
     * can't be recorded here any more. Queued emails come back not attempted at once; the outcomes of those being
     * sent are waited for and handed over to whoever owns the task next ({@link #handOver}).
     */
    @Override
    public void close() {
        if (inbox != null) {
            highInbox.unregister(context.taskId().partition(), inbox);
        }
        Instant now = settings.clock().instant();
        for (String tenant : running) {
            runs.get(tenant).run().halt(now, null);
        }
        handOver(now);
        closed = true;
        Returned x;
        while ((x = returned.poll()) != null) {
            runs.get(x.tenant()).settle(x.result(), now);
        }
        if (pending != null) {
            pending.close();
        }
        if (configs != null) {
            configs.close();
        }
    }
}
