package io.github.kafkamailer.sending;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production senders: a tenant's run sends over {@code smtpConnections} lanes, each a thread of its own with
 * its own session (connection) kept for the run, all taking jobs from the run's one queue in order, HIGH ones
 * first ({@link JobQueue}). Threads are made per lane and end with the run, so the capacity follows the tenants
 * sending: a slow tenant holds only its own lanes, never another tenant's.
 *
 * <p>Lanes over all tenants are bounded ({@code mailer.send.max.connections}, {@link ConnectionPermits}): a lane
 * starts only with a permit, so a thousand tenants of sixteen connections make no more threads or sockets than
 * the bound, and what they ask beyond it waits its turn, fairly by tenant, as jobs in the run's queue (no thread
 * waits for a permit, and the stream thread never waits at all). A lane gives its permit back when its run ends
 * or halts, when it has nothing to send while others wait, and after its turn when a tenant with fewer
 * connections waits.
 *
 * <p>Every exchange has an overall deadline: a watchdog aborts a send that takes longer (it closes the
 * connection under it), the job fails as transient with the server marked unusable, and the run stops. Angus'
 * per-read timeouts alone would let a server that trickles bytes hold a lane for ever. Deadlines and turns are
 * measured with an injected {@link Ticker}, so a test moves time instead of waiting for it.
 */
public final class SenderLanes implements SenderFactory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SenderLanes.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** How long a lane sends before it lets a waiting tenant with fewer connections have its permit. */
    static final Duration DEFAULT_TURN = Duration.ofSeconds(2);
    /** A lane's {@code busySince} while it is not sending. */
    private static final long NOT_BUSY = Long.MIN_VALUE;

    private final MailTransport transport;
    private final Duration deadline;
    private final Set<Lane> lanes = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final AtomicInteger threadIds = new AtomicInteger();
    private final ConnectionPermits permits;
    private final Duration turn;
    private final Ticker ticker;
    private volatile boolean closed;

    /** Sends with at most {@value #DEFAULT_MAX_CONNECTIONS} connections at once over all tenants. */
    public SenderLanes(MailTransport transport, Duration deadline) {
        this(transport, deadline, DEFAULT_MAX_CONNECTIONS);
    }

    /**
     * @param deadline       the longest one email's exchange with a server may take, retries of a transport included
     * @param maxConnections lanes (threads, connections) at once over all tenants, at least 1
     */
    public SenderLanes(MailTransport transport, Duration deadline, int maxConnections) {
        this(transport, deadline, maxConnections, DEFAULT_TURN);
    }

    /** @param turn how long a lane keeps its permit before it lets a tenant with fewer connections take it */
    SenderLanes(MailTransport transport, Duration deadline, int maxConnections, Duration turn) {
        this(transport, deadline, maxConnections, turn, Ticker.SYSTEM);
    }

    /** @param ticker what deadlines and turns are measured with: {@link Ticker#SYSTEM}, or a test's */
    SenderLanes(MailTransport transport, Duration deadline, int maxConnections, Duration turn, Ticker ticker) {
        this.ticker = ticker;
        this.transport = transport;
        this.deadline = deadline;
        this.permits = new ConnectionPermits(maxConnections);
        this.turn = turn;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mailer-sender-watchdog"));
        long every = Math.max(50, Math.min(1000, deadline.toMillis() / 10));
        watchdog.scheduleWithFixedDelay(this::abortOverdue, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public TenantSender open(String tenant, MailerConfig config, int sessions, Consumer<SendResult> results) {
        return new Group(tenant, config, Math.max(1, sessions), results);
    }

    /** Lanes (connections) open now, over all tenants: at most {@code maxConnections}. */
    public int connectionsInUse() {
        return permits.inUse();
    }

    /** Lanes runs asked for and wait to start, because the bound is reached. */
    public int connectionsWaiting() {
        return permits.waitingLanes();
    }

    private void abortOverdue() {
        long now = ticker.nanoTime();
        for (Lane lane : lanes) {
            long since = lane.busySince;
            if (since != NOT_BUSY && now - since > deadline.toNanos() && !lane.aborted) {
                lane.aborted = true;
                LOG.warn("Tenant '{}': no answer from the server within {} s; closing that connection",
                        lane.group.tenant, deadline.toSeconds());
                lane.session.abort();
            }
        }
    }

    /** Ends every exchange still running (a shutdown past its drain time): their jobs come back failed. */
    public void abortAll() {
        for (Lane lane : lanes) {
            if (lane.busySince != NOT_BUSY) {
                lane.aborted = true;
                lane.session.abort();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        abortAll();
        watchdog.shutdownNow();
    }

    private Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One tenant's run: its queue, its lanes, and the lanes it waits for. */
    private final class Group implements TenantSender, ConnectionPermits.Claimant {
        private final String tenant;
        private final MailerConfig config;
        private final int sessions;
        private final Consumer<SendResult> results;
        /** HIGH jobs first ({@link JobQueue}), each kind in the order handed out. */
        private final JobQueue queue = new JobQueue();
        /** The run's server: its primary, or its fallback once the primary proved unusable. */
        private final RunFailover servers;
        /** Lanes alive (each with its permit) and lanes asked of the permits, not granted yet; guarded by this. */
        private int running;
        private int requested;
        private volatile boolean halted;
        private volatile boolean finished;

        Group(String tenant, MailerConfig config, int sessions, Consumer<SendResult> results) {
            this.tenant = tenant;
            this.config = config;
            this.sessions = sessions;
            this.results = results;
            this.servers = new RunFailover(tenant, config, transport);
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public void submit(List<SendJob> jobs) {
            if (halted || finished || closed) {
                jobs.forEach(j -> results.accept(SendResult.notAttempted(j)));
                return;
            }
            synchronized (this) {
                queue.addAll(jobs);
            }
            topUp();
            if (halted) {
                drainNotAttempted();
            }
        }

        /**
         * Asks for the lanes the queue can use, up to the tenant's connections (a run of two emails opens two
         * connections at most). Never waits: the lanes start when the permits come.
         */
        private void topUp() {
            int more;
            synchronized (this) {
                if (halted || finished || closed) {
                    return;
                }
                int target = (int) Math.min(sessions, (long) running + queue.size());
                more = target - running - requested;
                if (more <= 0) {
                    return;
                }
                requested += more;
            }
            permits.request(this, more);
        }

        /** A permit is ours: a lane starts with it, unless the run no longer needs one. */
        @Override
        public boolean accept() {
            synchronized (this) {
                requested = Math.max(0, requested - 1);
                if (halted || finished || closed || queue.isEmpty()) {
                    return false;
                }
                running++;
            }
            try {
                Lane lane = new Lane(this, servers.openSession());
                daemon(lane, "mailer-sender-" + threadIds.incrementAndGet()).start();
                return true;
            } catch (RuntimeException | Error e) {
                LOG.error("Tenant '{}': a sender lane could not start ({}); its emails wait for the next run", tenant,
                        e.getClass().getName());
                boolean none;
                synchronized (this) {
                    running--;
                    none = running == 0;
                }
                if (none) {
                    halted = true;
                    permits.withdraw(this);
                    drainNotAttempted();
                }
                return false;
            }
        }

        @Override
        public void halt() {
            halted = true;
            stopWaiting();
            drainNotAttempted();
        }

        @Override
        public void finish() {
            finished = true;
            stopWaiting();
            boolean none;
            synchronized (this) {
                none = running == 0;
            }
            if (none) {
                drainNotAttempted();
            }
        }

        /** A halted or finished run waits for no permit: those it waited for go to others. */
        private void stopWaiting() {
            permits.withdraw(this);
            synchronized (this) {
                requested = 0;
            }
        }

        void drainNotAttempted() {
            SendJob job;
            while ((job = queue.poll()) != null) {
                results.accept(SendResult.notAttempted(job));
            }
        }

        /** An idle lane leaves (and gives its permit back) only when nothing was queued meanwhile. */
        synchronized boolean leaveIdle() {
            if (!queue.isEmpty()) {
                return false;
            }
            running--;
            return true;
        }

        synchronized void leave() {
            running--;
        }

        /**
         * A lane ended and gave its permit back: once the last is out of a run that is over, what is still queued
         * comes back not attempted, so every job gets its result; in a run still going, the lanes its queue needs
         * are asked for again.
         */
        void laneEnded(boolean stillCounted) {
            boolean drain;
            synchronized (this) {
                if (stillCounted) {
                    running--;
                }
                drain = running == 0 && (halted || finished || closed);
            }
            if (drain) {
                drainNotAttempted();
            } else {
                topUp();
            }
        }
    }

    /** One connection of a tenant's run, on its own thread, alive only while it holds a permit. */
    private final class Lane implements Runnable {
        final Group group;
        final RunFailover.Session session;
        final long startedAt = ticker.nanoTime();
        volatile long busySince = NOT_BUSY;
        volatile boolean aborted;

        Lane(Group group, RunFailover.Session session) {
            this.group = group;
            this.session = session;
        }

        @Override
        public void run() {
            lanes.add(this);
            boolean stillCounted = true;
            try {
                while (true) {
                    SendJob job = group.queue.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (job == null) {
                        if (group.finished || group.halted || closed) {
                            return;
                        }
                        if (permits.othersWaiting(group.tenant) && group.leaveIdle()) {
                            // Nothing to send while others wait: the connection is theirs.
                            stillCounted = false;
                            return;
                        }
                        continue;
                    }
                    if (group.halted || closed) {
                        group.results.accept(SendResult.notAttempted(job));
                        continue;
                    }
                    group.results.accept(sendOne(job));
                    if (!group.halted && permits.shouldYield(group.tenant,
                            ticker.nanoTime() - startedAt >= turn.toNanos())) {
                        // Another tenant's turn: this run asks again and queues behind it.
                        group.leave();
                        stillCounted = false;
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lanes.remove(this);
                try {
                    session.close();
                } catch (Throwable t) {
                    LOG.debug("Closing a session of tenant '{}' failed", group.tenant, t);
                }
                permits.release(group);
                group.laneEnded(stillCounted);
            }
        }

        private SendResult sendOne(SendJob job) {
            busySince = ticker.nanoTime();
            SendResult r;
            try {
                r = JobSending.send(session, job, group.config);
            } finally {
                busySince = NOT_BUSY;
            }
            if (aborted) {
                aborted = false;
                // Whatever the transport made of its closed connection, the server did not answer in time.
                r = new SendResult(job, r.email(), new SendOutcome.Failed(group.config.transportKind(),
                        FailureClass.TRANSIENT, "no answer from the server within " + deadline.toSeconds()
                        + " s (deadline); last seen: " + reasonOf(r.outcome()), true));
            }
            if (r.outcome() != null && r.outcome().stopsRun()) {
                group.halt();
            }
            return r;
        }

        private String reasonOf(SendOutcome o) {
            return o instanceof SendOutcome.Failed f ? f.reason() : String.valueOf(o);
        }
    }
}
