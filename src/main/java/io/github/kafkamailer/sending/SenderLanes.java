package io.github.kafkamailer.sending;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production senders: a tenant's run sends over {@code smtpConnections} lanes, each a thread of its own with
 * its own session (connection) kept for the run, all taking jobs from the run's one queue in order. Threads are
 * made per lane and end with the run, so the capacity follows the tenants sending: a slow tenant holds only its
 * own lanes, never another tenant's.
 *
 * <p>Every exchange has an overall deadline: a watchdog aborts a send that takes longer (it closes the
 * connection under it), the job fails as transient with the server marked unusable, and the run stops. Angus'
 * per-read timeouts alone would let a server that trickles bytes hold a lane for ever.
 */
public final class SenderLanes implements SenderFactory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SenderLanes.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);

    private final MailTransport transport;
    private final Duration deadline;
    private final Set<Lane> lanes = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final AtomicInteger threadIds = new AtomicInteger();
    private volatile boolean closed;

    /** @param deadline the longest one email's exchange with a server may take, retries of a transport included */
    public SenderLanes(MailTransport transport, Duration deadline) {
        this.transport = transport;
        this.deadline = deadline;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mailer-sender-watchdog"));
        long every = Math.max(50, Math.min(1000, deadline.toMillis() / 10));
        watchdog.scheduleWithFixedDelay(this::abortOverdue, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public TenantSender open(String tenant, MailerConfig config, int sessions, Consumer<SendResult> results) {
        return new Group(tenant, config, Math.max(1, sessions), results);
    }

    /** Lanes busy sending right now, over all tenants. */
    public int busyLanes() {
        return (int) lanes.stream().filter(l -> l.busySince != 0).count();
    }

    private void abortOverdue() {
        long now = System.nanoTime();
        for (Lane lane : lanes) {
            long since = lane.busySince;
            if (since != 0 && now - since > deadline.toNanos() && !lane.aborted) {
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
            if (lane.busySince != 0) {
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

    /** One tenant's run: its queue, its lanes. */
    private final class Group implements TenantSender {
        private final String tenant;
        private final MailerConfig config;
        private final int sessions;
        private final Consumer<SendResult> results;
        private final LinkedBlockingQueue<SendJob> queue = new LinkedBlockingQueue<>();
        private final AtomicInteger running = new AtomicInteger();
        private volatile boolean halted;
        private volatile boolean finished;
        private long submitted;

        Group(String tenant, MailerConfig config, int sessions, Consumer<SendResult> results) {
            this.tenant = tenant;
            this.config = config;
            this.sessions = sessions;
            this.results = results;
        }

        @Override
        public void submit(List<SendJob> jobs) {
            if (halted || finished || closed) {
                jobs.forEach(j -> results.accept(SendResult.notAttempted(j)));
                return;
            }
            queue.addAll(jobs);
            submitted += jobs.size();
            // A lane per job, up to the tenant's connections: a run of two emails opens two connections at most.
            while (running.get() < Math.min(sessions, submitted)) {
                startLane();
            }
            if (halted) {
                drainNotAttempted();
            }
        }

        private void startLane() {
            running.incrementAndGet();
            Lane lane = new Lane(this, transport.open(config));
            Thread t = daemon(lane, "mailer-sender-" + threadIds.incrementAndGet());
            t.start();
        }

        @Override
        public void halt() {
            halted = true;
            drainNotAttempted();
        }

        @Override
        public void finish() {
            finished = true;
            if (running.get() == 0) {
                drainNotAttempted();
            }
        }

        void drainNotAttempted() {
            SendJob job;
            while ((job = queue.poll()) != null) {
                results.accept(SendResult.notAttempted(job));
            }
        }

        /** A lane ends: the last one out returns what is still queued, so every job gets its result. */
        void laneEnded() {
            if (running.decrementAndGet() == 0) {
                drainNotAttempted();
            }
        }
    }

    /** One connection of a tenant's run, on its own thread. */
    private final class Lane implements Runnable {
        final Group group;
        final TransportSession session;
        volatile long busySince;
        volatile boolean aborted;

        Lane(Group group, TransportSession session) {
            this.group = group;
            this.session = session;
        }

        @Override
        public void run() {
            lanes.add(this);
            try {
                while (true) {
                    SendJob job = group.queue.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (job == null) {
                        if (group.finished || group.halted || closed) {
                            return;
                        }
                        continue;
                    }
                    if (group.halted || closed) {
                        group.results.accept(SendResult.notAttempted(job));
                        continue;
                    }
                    group.results.accept(sendOne(job));
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
                group.laneEnded();
            }
        }

        private SendResult sendOne(SendJob job) {
            busySince = System.nanoTime();
            SendResult r;
            try {
                r = JobSending.send(session, job, group.config);
            } finally {
                busySince = 0;
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
