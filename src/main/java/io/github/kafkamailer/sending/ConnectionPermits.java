package io.github.kafkamailer.sending;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process-wide bound on sender connections ({@code mailer.send.max.connections}): a lane (a thread and its
 * connection) exists only while it holds a permit. Nobody ever waits here: a run asks for lanes and is called
 * back ({@link Claimant#accept}) when a permit is free for it; until then its jobs simply stay queued.
 *
 * <p>Fair by tenant: a free permit goes to the waiting run whose tenant holds the fewest permits, ties in turn
 * (the one served goes to the back). So a tenant's first connection comes before another tenant's extra ones,
 * and every tenant with mail makes progress however many connections the others ask for. A lane gives its
 * permit back when it has nothing to send and someone waits, and between two emails when fairness asks for it
 * ({@link #shouldYield}).
 *
 * <p>Thread-safe. Callbacks run outside the lock, on whichever thread freed or asked for the permit.
 */
final class ConnectionPermits {
    /** A run that wants lanes. */
    interface Claimant {
        String tenant();

        /**
         * A permit is this claimant's: start a lane with it and return true, or return false (the run halted,
         * or has nothing left to send) and the permit goes to the next one. Must not block.
         */
        boolean accept();
    }

    private final int max;
    private int inUse;
    /** Lanes each waiting claimant still wants, in turn order. */
    private final LinkedHashMap<Claimant, Integer> waiting = new LinkedHashMap<>();
    /** Permits held per tenant. */
    private final Map<String, Integer> held = new HashMap<>();

    ConnectionPermits(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one connection is needed, not " + max);
        }
        this.max = max;
    }

    int max() {
        return max;
    }

    /** Asks for {@code lanes} more lanes; granted now if permits are free, else when they are. Never blocks. */
    void request(Claimant c, int lanes) {
        if (lanes <= 0) {
            return;
        }
        synchronized (this) {
            waiting.merge(c, lanes, Integer::sum);
        }
        dispatch();
    }

    /** The claimant wants no more lanes (its run halted or ended): what it waited for goes to others. */
    synchronized void withdraw(Claimant c) {
        waiting.remove(c);
    }

    /** A lane of {@code c} ended: its permit goes to the next in turn. */
    void release(Claimant c) {
        synchronized (this) {
            inUse--;
            held.computeIfPresent(c.tenant(), (t, n) -> n <= 1 ? null : n - 1);
        }
        dispatch();
    }

    /** True while another tenant's run waits for a permit: an idle lane of {@code tenant} then gives its own back. */
    synchronized boolean othersWaiting(String tenant) {
        for (Claimant c : waiting.keySet()) {
            if (!c.tenant().equals(tenant)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a lane of {@code tenant} should give its permit back between two emails: when a waiting tenant
     * holds two permits fewer than this one (a first connection before extra ones), or, once the lane has held
     * its permit for its turn, when a waiting tenant holds fewer (turns among tenants that all want more).
     */
    synchronized boolean shouldYield(String tenant, boolean turnUsed) {
        if (waiting.isEmpty()) {
            return false;
        }
        int mine = held.getOrDefault(tenant, 0);
        int fewest = Integer.MAX_VALUE;
        for (Claimant c : waiting.keySet()) {
            if (!c.tenant().equals(tenant)) {
                fewest = Math.min(fewest, held.getOrDefault(c.tenant(), 0));
            }
        }
        if (fewest == Integer.MAX_VALUE) {
            // Only this tenant's own run waits (for the rest of the lanes it asked for): nobody to yield to.
            return false;
        }
        return fewest + 1 < mine || (turnUsed && fewest < mine);
    }

    synchronized int inUse() {
        return inUse;
    }

    /** Lanes asked for and not granted yet, over all runs. */
    synchronized int waitingLanes() {
        int n = 0;
        for (int w : waiting.values()) {
            n += w;
        }
        return n;
    }

    /** Hands free permits out, one at a time, until none is free or nobody waits. */
    private void dispatch() {
        while (true) {
            Claimant next;
            synchronized (this) {
                next = inUse < max ? takeNext() : null;
                if (next == null) {
                    return;
                }
                inUse++;
                held.merge(next.tenant(), 1, Integer::sum);
            }
            boolean accepted;
            try {
                accepted = next.accept();
            } catch (RuntimeException | Error e) {
                release(next);
                throw e;
            }
            if (!accepted) {
                synchronized (this) {
                    inUse--;
                    held.computeIfPresent(next.tenant(), (t, n) -> n <= 1 ? null : n - 1);
                }
            }
        }
    }

    /** The waiting claimant whose tenant holds the fewest permits, the first in turn among equals. */
    private Claimant takeNext() {
        Claimant best = null;
        int bestHeld = Integer.MAX_VALUE;
        for (Claimant c : waiting.keySet()) {
            int h = held.getOrDefault(c.tenant(), 0);
            if (h < bestHeld) {
                best = c;
                bestHeld = h;
                if (h == 0) {
                    break;
                }
            }
        }
        if (best == null) {
            return null;
        }
        int left = waiting.remove(best) - 1;
        if (left > 0) {
            waiting.put(best, left); // to the back: the next among equals goes first
        }
        return best;
    }

}
