package io.github.kafkamailer.sending;

import io.github.kafkamailer.model.MailerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's sending, on the stream thread, as explicit states:
 * <pre>
 *   IDLE ────────start──────► SENDING ◄──more due──► LINGERING
 *   BACKING_OFF ──start──►       │                      │
 *                                └──exhaust / halt──► DRAINING ◄──exhaust / halt──┘
 *   DRAINING ──end (nothing in flight)──► IDLE, or BACKING_OFF after a slow-down
 * </pre>
 * IDLE waits for the tenant's next run (its interval since the last run started); BACKING_OFF too, and longer:
 * a server asked the last run to slow down. SENDING reads the due emails in order and hands them to the run's
 * senders as fast as the bounds allow (emails in flight, bytes in flight, the rate limit). LINGERING has nothing
 * due and nothing in flight, but the tenant's emails are still arriving: the run stays open for them (a backlog
 * streaming in goes out over the open connections) and goes back to SENDING when they are due. DRAINING hands out
 * nothing more and waits for the outcomes of what is in flight; then the run ends and its connections close.
 * Each transition checks the state it leaves, as Kafka Streams' tasks do: every change of state goes through
 * {@link #transitionTo}, which checks {@link #ALLOWED} and logs the transition at DEBUG.
 *
 * <p>What the run last said of its server is a second, independent state ({@link Server}): USABLE, or
 * REPORTED_DOWN once a failure that stops runs was reported (said once per reason, not once per run), until an
 * email goes through again. It changes through {@link #reportTransition}, checked against
 * {@link #SERVER_ALLOWED} and logged the same way.
 */
public final class TenantRun {
    private static final Logger LOG = LoggerFactory.getLogger(TenantRun.class);
    /**
     * A run with nothing left to hand out still stays open while its tenant's emails are arriving (the last less
     * than this ago): the intake hands them over in bursts, one per commit, and a backlog streaming in should go
     * out without a pause of one interval, over the connections already open, at every burst.
     */
    static final Duration LINGER_AFTER_ARRIVAL = Duration.ofMillis(300);

    public enum State {
        /** No run: the next starts one interval after the last one started. */
        IDLE,
        /** No run: a server asked the last run to slow down; the next waits for that as well as the interval. */
        BACKING_OFF,
        /** A run hands out the due emails as fast as its bounds allow. */
        SENDING,
        /** A run with nothing due and nothing in flight stays open while the tenant's emails are arriving. */
        LINGERING,
        /** A run hands out nothing more and waits for what is in flight. */
        DRAINING;

        /** No run: IDLE or BACKING_OFF. */
        public boolean isIdle() {
            return this == IDLE || this == BACKING_OFF;
        }

        /** A run that may hand out: SENDING or LINGERING. */
        public boolean handsOut() {
            return this == SENDING || this == LINGERING;
        }
    }

    /** What the run last said of its server. */
    public enum Server {
        /** Nothing reported, or the server took an email since. */
        USABLE,
        /** A failure that stops runs was reported (a server unusable or asking to slow down), once per reason. */
        REPORTED_DOWN
    }

    /** The transitions a run may make: from each state, the states it may go to. */
    private static final Map<State, Set<State>> ALLOWED = new EnumMap<>(State.class);
    /** The transitions of what the run said of its server; REPORTED_DOWN to itself: another reason, said again. */
    private static final Map<Server, Set<Server>> SERVER_ALLOWED = new EnumMap<>(Server.class);

    static {
        ALLOWED.put(State.IDLE, EnumSet.of(State.SENDING));
        ALLOWED.put(State.BACKING_OFF, EnumSet.of(State.SENDING));
        ALLOWED.put(State.SENDING, EnumSet.of(State.LINGERING, State.DRAINING));
        ALLOWED.put(State.LINGERING, EnumSet.of(State.SENDING, State.DRAINING));
        ALLOWED.put(State.DRAINING, EnumSet.of(State.IDLE, State.BACKING_OFF));
        SERVER_ALLOWED.put(Server.USABLE, EnumSet.of(Server.REPORTED_DOWN));
        SERVER_ALLOWED.put(Server.REPORTED_DOWN, EnumSet.of(Server.REPORTED_DOWN, Server.USABLE));
    }

    private final String tenant;
    private State state = State.IDLE;
    private MailerConfig config;
    /** A config version that came during the run and applies at the next one ({@link #configChanged}). */
    private MailerConfig nextConfig;
    private boolean hasNextConfig;
    private TenantSender sender;
    private RateWindow rate;
    /** Where the run reads on from: the first store key after the last one it handed out. */
    private String cursor;
    private int inFlight;
    private long inFlightBytes;
    private Instant lastRunStart;
    /** When the last run that was the tenant's interval run started: its next one starts an interval later. */
    private Instant intervalFrom;
    /** A run started for HIGH emails alone, ahead of the interval: it sends those only ({@link #startForHigh}). */
    private boolean highOnly;
    private Instant notBefore = Instant.MIN;
    private RunStats stats = new RunStats();
    private Server server = Server.USABLE;
    /** While REPORTED_DOWN: what was reported as making the server unusable, so it is said once, not every run. */
    private String downReported;
    /** When an email of the tenant last reached this task's store (wall clock); null: none yet. */
    private Instant lastArrival;

    public TenantRun(String tenant) {
        this.tenant = tenant;
    }

    public String tenant() {
        return tenant;
    }

    public State state() {
        return state;
    }

    public Server server() {
        return server;
    }

    public MailerConfig config() {
        return config;
    }

    public String cursor() {
        return cursor;
    }

    public void advanceCursor(String next) {
        cursor = next;
    }

    public int inFlight() {
        return inFlight;
    }

    public long inFlightBytes() {
        return inFlightBytes;
    }

    public RunStats stats() {
        return stats;
    }

    public Instant lastRunStart() {
        return lastRunStart;
    }

    /** The rate window of a tenant with {@code maxEmailsPerMinute}; null without a limit. */
    public RateWindow rate() {
        return rate;
    }

    /** An email of the tenant reached this task's store: a run with nothing left to hand out waits for more. */
    public void arrived(Instant now) {
        lastArrival = now;
    }

    /** True while the tenant's emails are still arriving: its run stays open for them. */
    public boolean stillArriving(Instant now) {
        return lastArrival != null && now.isBefore(lastArrival.plus(LINGER_AFTER_ARRIVAL));
    }

    /** Takes the tenant's current config; the rate window follows its limit (kept when the limit is the same). */
    public void useConfig(MailerConfig c, Instant now) {
        config = c;
        followRateLimit(c, now);
    }

    private void followRateLimit(MailerConfig c, Instant now) {
        Integer limit = c.maxEmailsPerMinute();
        if (limit == null) {
            rate = null;
        } else if (rate == null) {
            rate = new RateWindow(limit);
        } else if (rate.perMinute() != limit) {
            rate = rate.withLimit(limit, now);
        }
    }

    /**
     * A new version of the tenant's config ({@code next}; null when it was removed). An idle tenant takes it at
     * once. A run in progress goes on with the config it started with, unless the new one sends through another
     * server ({@link MailerConfig#sameServerAs}), disables the tenant or is a removal: then it halts (what is
     * queued comes back not attempted). Either way the new version applies from the next run; a changed rate
     * limit applies at once. Returns true when it halted the run.
     */
    public boolean configChanged(MailerConfig next, Instant now) {
        if (state.isIdle()) {
            adopt(next, now);
            return false;
        }
        nextConfig = next;
        hasNextConfig = true;
        if (next != null) {
            followRateLimit(next, now);
        }
        if (next == null || !next.enabled() || !next.sameServerAs(config)) {
            halt(now, null);
            return true;
        }
        return false;
    }

    private void adopt(MailerConfig next, Instant now) {
        nextConfig = null;
        hasNextConfig = false;
        config = next;
        if (next == null) {
            rate = null;
        } else {
            followRateLimit(next, now);
        }
    }

    /**
     * When the tenant's next run may start: one interval after the last run started, and past any slow-down;
     * null when it can't start (no config, or disabled) until its config changes.
     */
    public Instant nextStartAt() {
        if (config == null || !config.enabled()) {
            return null;
        }
        Instant byInterval = intervalFrom == null ? Instant.MIN : intervalFrom.plusSeconds(config.campaignIntervalSeconds());
        return byInterval.isAfter(notBefore) ? byInterval : notBefore;
    }

    /**
     * When a run may start for a HIGH email: at once, whatever the interval, but past any slow-down a server asked
     * for; null when it can't start (no config, or disabled) until its config changes.
     */
    public Instant nextHighStartAt() {
        if (config == null || !config.enabled()) {
            return null;
        }
        return notBefore;
    }

    /** Due when idle, enabled, one interval after the last run started, and past any slow-down. */
    public boolean dueToStart(Instant now) {
        return state.isIdle() && config != null && config.enabled() && !now.isBefore(notBefore)
                && (intervalFrom == null || !now.isBefore(intervalFrom.plusSeconds(config.campaignIntervalSeconds())));
    }

    /** IDLE or BACKING_OFF → SENDING: a new run reads from the tenant's first due email. */
    public void start(Instant now, TenantSender runSender, String firstKey) {
        if (!state.isIdle()) {
            throw new IllegalStateException("tenant '" + tenant + "': cannot start a run that is " + state
                    + " (expected IDLE or BACKING_OFF)");
        }
        transitionTo(State.SENDING, state == State.BACKING_OFF ? "start after the slow-down" : "start");
        sender = runSender;
        lastRunStart = now;
        intervalFrom = now;
        highOnly = false;
        cursor = firstKey;
        stats = new RunStats();
    }

    /**
     * IDLE or BACKING_OFF → SENDING for the tenant's HIGH emails alone, before its interval came: the run sends
     * only those and leaves the normal ones, and the tenant's interval, as they were. It becomes the interval's run
     * when that comes meanwhile ({@link #widen}).
     */
    public void startForHigh(Instant now, TenantSender runSender) {
        Instant keep = intervalFrom;
        start(now, runSender, null);
        intervalFrom = keep;
        highOnly = true;
    }

    /** True for a run started for HIGH emails alone ({@link #startForHigh}). */
    public boolean highOnly() {
        return highOnly;
    }

    /** A HIGH emails' run whose interval came: from now on the tenant's interval run, reading from {@code firstKey}. */
    public void widen(Instant now, String firstKey) {
        if (!highOnly) {
            throw new IllegalStateException("tenant '" + tenant + "': only a run for HIGH emails widens");
        }
        highOnly = false;
        intervalFrom = now;
        cursor = firstKey;
    }

    /** How many more emails may be handed out now, within {@code maxInFlight} and the rate limit. */
    public int room(Instant now, int maxInFlight) {
        if (!state.handsOut()) {
            return 0;
        }
        int room = maxInFlight - inFlight;
        return rate == null ? room : Math.min(room, rate.available(now));
    }

    /** Hands the jobs to the run's senders; a LINGERING run goes back to SENDING. */
    public void handOut(java.util.List<SendJob> jobs) {
        if (state == State.LINGERING) {
            transitionTo(State.SENDING, "more emails due");
        }
        expect(State.SENDING, "hand out");
        for (SendJob j : jobs) {
            inFlight++;
            inFlightBytes += j.bytes();
        }
        if (rate != null) {
            rate.handedOut(jobs.size());
        }
        sender.submit(jobs);
    }

    /** A job's result came back: only while a run has emails in flight (SENDING or DRAINING). */
    public void returned(SendResult r, Instant now) {
        if (state.isIdle() || inFlight <= 0) {
            throw new IllegalStateException("tenant '" + tenant + "': email '" + r.job().emailId()
                    + "' came back to a run that is " + state + " with " + inFlight + " email(s) in flight");
        }
        inFlight--;
        inFlightBytes -= r.job().bytes();
        if (rate != null) {
            rate.returned(now, r.attempted());
        }
    }

    /** SENDING or LINGERING → DRAINING: nothing more is due in this run. */
    public void exhaust() {
        if (!state.handsOut()) {
            throw new IllegalStateException("tenant '" + tenant + "': cannot exhaust a run that is " + state
                    + " (expected SENDING or LINGERING)");
        }
        transitionTo(State.DRAINING, "nothing more due");
    }

    /**
     * The run read to the end of what is due and has nothing in flight: SENDING → LINGERING while the tenant's
     * emails are still arriving (the last less than {@link #LINGER_AFTER_ARRIVAL} ago), else SENDING or LINGERING
     * → DRAINING ({@link #exhaust}). A LINGERING run still lingering stays so.
     */
    public void nothingMoreDue(Instant now) {
        if (stillArriving(now)) {
            if (state == State.SENDING) {
                transitionTo(State.LINGERING, "nothing due, emails still arriving");
            } else {
                expect(State.LINGERING, "linger");
            }
        } else {
            exhaust();
        }
    }

    /**
     * SENDING or LINGERING → DRAINING at once: the server is unusable, asked to slow down, or the config changed its
     * server. What is queued comes back not attempted; the next run waits at least {@code wait} (it then ends in
     * BACKING_OFF). Halting a run that is DRAINING already (it ran out of emails, or halted before) halts its sender
     * again and may lengthen the wait; an IDLE or BACKING_OFF tenant has no run to halt.
     */
    public void halt(Instant now, Duration wait) {
        if (state.isIdle()) {
            throw new IllegalStateException("tenant '" + tenant + "': cannot halt a run that is " + state
                    + " (no run)");
        }
        if (state.handsOut()) {
            transitionTo(State.DRAINING, wait == null ? "halt" : "halt, next run not before " + now.plus(wait));
        }
        if (state == State.DRAINING) {
            sender.halt();
        }
        if (wait != null && now.plus(wait).isAfter(notBefore)) {
            notBefore = now.plus(wait);
        }
    }

    public boolean canEnd() {
        return state == State.DRAINING && inFlight == 0;
    }

    /**
     * DRAINING → IDLE, or → BACKING_OFF when a server asked this run to slow down (its next start waits past that):
     * the run's connections close; returns what the run did.
     */
    public RunStats end() {
        expect(State.DRAINING, "end");
        if (inFlight != 0) {
            throw new IllegalStateException("tenant '" + tenant + "': cannot end a run with " + inFlight
                    + " email(s) in flight");
        }
        if (notBefore.isAfter(lastRunStart)) {
            transitionTo(State.BACKING_OFF, "run ended, next run not before " + notBefore);
        } else {
            transitionTo(State.IDLE, "run ended");
        }
        sender.finish();
        sender = null;
        cursor = null;
        if (hasNextConfig) {
            // Its rate limit applied when it came: only the rest changes now.
            config = nextConfig;
            rate = config == null ? null : rate;
            nextConfig = null;
            hasNextConfig = false;
        }
        RunStats done = stats;
        stats = new RunStats();
        return done;
    }

    /**
     * A failure that stops runs, to be reported: USABLE → REPORTED_DOWN, or REPORTED_DOWN → REPORTED_DOWN for
     * another reason. True the first time a reason is reported for this config; false while it repeats.
     */
    public boolean firstReportOf(String reasonKey) {
        if (server == Server.REPORTED_DOWN && reasonKey.equals(downReported)) {
            return false;
        }
        reportTransition(Server.REPORTED_DOWN, "reported");
        downReported = reasonKey;
        return true;
    }

    /**
     * REPORTED_DOWN → USABLE: true when a server was reported unusable and now took an email again (said once at
     * INFO); false when nothing was reported.
     */
    public boolean recovered() {
        if (server == Server.USABLE) {
            return false;
        }
        reportTransition(Server.USABLE, "took an email again");
        downReported = null;
        return true;
    }

    /** The only write of {@link #state}: checks the transition against {@link #ALLOWED} and logs it at DEBUG. */
    private void transitionTo(State next, String why) {
        State from = state;
        if (!ALLOWED.get(from).contains(next)) {
            throw new IllegalStateException("tenant '" + tenant + "': no transition from " + from + " to " + next
                    + " (" + why + ")");
        }
        state = next;
        LOG.debug("Tenant '{}': run {} -> {} ({})", tenant, from, next, why);
    }

    /** The only write of {@link #server}: checks the transition against {@link #SERVER_ALLOWED}, logs it at DEBUG. */
    private void reportTransition(Server next, String why) {
        Server from = server;
        if (!SERVER_ALLOWED.get(from).contains(next)) {
            throw new IllegalStateException("tenant '" + tenant + "': no transition of its server from " + from
                    + " to " + next + " (" + why + ")");
        }
        server = next;
        LOG.debug("Tenant '{}': server {} -> {} ({})", tenant, from, next, why);
    }

    private void expect(State s, String transition) {
        if (state != s) {
            throw new IllegalStateException("tenant '" + tenant + "': cannot " + transition + " a run that is "
                    + state + " (expected " + s + ")");
        }
    }

    /** What one run of one tenant did, for its log line: counted by the outcome recorder, read for the log. */
    public static final class RunStats {
        private int sent;
        private int drafted;
        private int failed;
        private int retried;
        private int skipped;
        private int deadLettered;
        private int duplicates;
        private int partial;

        public void countSent() {
            sent++;
        }

        public int sent() {
            return sent;
        }

        public void countDrafted() {
            drafted++;
        }

        public int drafted() {
            return drafted;
        }

        public void countFailed() {
            failed++;
        }

        public int failed() {
            return failed;
        }

        public void countRetried() {
            retried++;
        }

        public int retried() {
            return retried;
        }

        public void countSkipped() {
            skipped++;
        }

        public int skipped() {
            return skipped;
        }

        public void countDeadLettered() {
            deadLettered++;
        }

        public int deadLettered() {
            return deadLettered;
        }

        public void countDuplicates() {
            duplicates++;
        }

        public int duplicates() {
            return duplicates;
        }

        public void countPartial() {
            partial++;
        }

        public int partial() {
            return partial;
        }

        public boolean isEmpty() {
            return sent + drafted + failed + retried + skipped + deadLettered + duplicates + partial == 0;
        }

        @Override
        public String toString() {
            return "sent=" + sent + " drafted=" + drafted + " partial=" + partial + " failed=" + failed
                    + " retried=" + retried + " dead-lettered=" + deadLettered + " skipped=" + skipped
                    + " duplicates=" + duplicates;
        }
    }
}
