package io.github.kafkamailer.topology;

import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.sending.TenantRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tenant's sending in this task, and the one owner of what its run has out with senders: the run itself
 * ({@link TenantRun}: its state, its counts, its rate window), the store entries the outcomes are recorded against,
 * the ids in flight, and what was recorded in the current tick. A hand-out ({@link #handOut}) and a return
 * ({@link #returned}) are one call each and keep in step everything that counts an email in flight: the run, these
 * entries, the in-flight markers the task's next owner reads, the process-wide {@link SendingGate}, and the saved
 * rate window. At close, {@link #settle} releases a result the same way without recording it.
 *
 * <p>Stream thread only, like the processor that keeps one per tenant. {@link TenantRun} stays free of Kafka and of
 * the store's types; this is the topology's side of the run.
 */
final class TenantSending {
    private final TenantRun run;
    private final SendingGate gate;
    private final InFlightMarkers markers;
    private final SavedRateWindows rateWindows;
    /** The store entries of the emails in flight, by store key: what their outcomes are recorded against. */
    private final Map<String, PendingEmail> inFlight = new HashMap<>();
    /** The ids of the emails in flight: a second copy met meanwhile is a duplicate, never sent in parallel. */
    private final Set<String> inFlightIds = new HashSet<>();
    /** Outcomes recorded in tick {@link #recordedTick}: not committed yet, so they still count as in flight. */
    private int recordedThisTick;
    private long recordedTick = -1;

    TenantSending(TenantRun run, SendingGate gate, InFlightMarkers markers, SavedRateWindows rateWindows) {
        this.run = run;
        this.gate = gate;
        this.markers = markers;
        this.rateWindows = rateWindows;
    }

    TenantRun run() {
        return run;
    }

    String tenant() {
        return run.tenant();
    }

    /**
     * How many more emails may be handed out in tick {@code tick}: the run's room (emails in flight, rate) less
     * the outcomes recorded in this tick, which are not committed yet.
     */
    int room(Instant now, int maxInFlight, long tick) {
        return run.room(now, maxInFlight) - recordedIn(tick);
    }

    /** True while an email of this id is with a sender. */
    boolean isInFlight(String emailId) {
        return inFlightIds.contains(emailId);
    }

    /** True while the email under this store key is with a sender (it is then left to its outcome). */
    boolean holds(String storeKey) {
        return inFlight.containsKey(storeKey);
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /**
     * Hands the jobs out ({@code entries}: their store entries, in the same order): counted by the gate, marked in
     * flight for the task's next owner, kept against their outcomes, given to the run's senders, and the rate
     * window to be saved. False, and nothing done, when the gate refuses (shutting down).
     */
    boolean handOut(List<SendJob> jobs, List<PendingEmail> entries, long bytes, Instant now) {
        if (!gate.tryStart(jobs.size(), bytes)) {
            return false;
        }
        for (int i = 0; i < jobs.size(); i++) {
            SendJob j = jobs.get(i);
            inFlight.put(j.storeKey(), entries.get(i));
            inFlightIds.add(j.emailId());
            markers.mark(j.storeKey(), now);
        }
        run.handOut(jobs);
        if (run.rate() != null) {
            rateWindows.changed(run.tenant());
        }
        return true;
    }

    /**
     * A result came back to be recorded in tick {@code tick}: released everywhere it counted (gate, entries, ids,
     * marker, the run and its rate window) and counted as recorded in this tick. Returns the email's store entry;
     * null when it had none.
     */
    PendingEmail returned(SendResult r, Instant now, long tick) {
        PendingEmail p = settle(r, now);
        markers.clear(r.job().storeKey());
        if (run.rate() != null) {
            rateWindows.changed(run.tenant());
        }
        if (recordedTick != tick) {
            recordedTick = tick;
            recordedThisTick = 0;
        }
        recordedThisTick++;
        return p;
    }

    /**
     * A result that is not recorded in this task (it is closing): released from the gate, the entries, the ids and
     * the run (its counts and rate window). Its marker stays: the revocation's commit carried it to the task's next
     * owner. Returns the email's store entry; null when it had none.
     */
    PendingEmail settle(SendResult r, Instant now) {
        gate.finished(1, r.job().bytes());
        PendingEmail p = inFlight.remove(r.job().storeKey());
        inFlightIds.remove(r.job().emailId());
        run.returned(r, now);
        return p;
    }

    private int recordedIn(long tick) {
        return recordedTick == tick ? recordedThisTick : 0;
    }
}
