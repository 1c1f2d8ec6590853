package io.github.kafkamailer.topology;

import io.github.kafkamailer.sending.TenantRun;

/**
 * An email that reaches the store while its tenant's run is sending, with a key before the run's cursor: the run
 * reads it in this run, not one interval later.
 *
 * <p>Keys go by the outbox timestamp, and the outbox's partitions reach the sending task interleaved: each commit
 * of the intake brings a stretch of each partition, and the stretches overlap in time. Before, a run met only the
 * emails after its cursor, and the others waited for the next run: measured on the benchmark (20,000 emails in 3
 * partitions, four connections), the first run sent 2,256 emails in 17 s (130 a second) while the rest piled up
 * behind it. Now the cursor goes back to the late key; what the run meets again there and has already handed out
 * is passed over ({@link #alreadyHandedOut}), so nothing is sent twice and the bounds (emails and bytes in flight,
 * the rate) hold as before.
 */
final class LateArrivals {
    private LateArrivals() {
    }

    /** The run reads from {@code key} on when that is before its cursor; no-op for a run that doesn't hand out. */
    static void arrived(TenantRun run, String key) {
        if (run.state().handsOut() && run.cursor() != null
                && KeyFloor.compare(key, run.cursor()) < 0) {
            run.advanceCursor(key);
        }
    }

    /**
     * True for an entry met again after the cursor went back, that this run already handed out: the cursor moves
     * past it, and it is neither handed out again nor settled as a duplicate (its outcome is on its way).
     */
    static boolean alreadyHandedOut(TenantRun run, String key, java.util.function.Predicate<String> inFlight) {
        if (!inFlight.test(key)) {
            return false;
        }
        run.advanceCursor(PendingKeys.after(key));
        return true;
    }
}
