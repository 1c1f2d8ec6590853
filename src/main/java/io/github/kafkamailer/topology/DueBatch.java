package io.github.kafkamailer.topology;

import io.github.kafkamailer.sending.SendJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one read of a run's due emails takes for the hand-out, within the room the run has now: the jobs and their
 * store entries in key order, their bytes, how many entries were settled on the spot (duplicates, skipped), and
 * whether the read reached the end of what is due or stopped before an entry (the run's cursor stays before it).
 */
final class DueBatch {
    /** What may go now: emails (in flight and the rate window) and bytes (the run's and the process's). */
    record Room(int emails, long bytes) {
    }

    private final Room room;
    /** The run has emails in flight: an email too big for the bytes left waits for them. */
    private final boolean runHasInFlight;
    private final List<SendJob> jobs = new ArrayList<>();
    private final List<PendingEmail> entries = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private long bytes;
    private int settled;
    private boolean reachedEnd = true;

    DueBatch(Room room, boolean runHasInFlight) {
        this.room = room;
        this.runHasInFlight = runHasInFlight;
    }

    /** True when no more may be read: the room is full, or {@code maxSettled} entries were settled already. */
    boolean isFull(int maxSettled) {
        return jobs.size() >= room.emails() || settled >= maxSettled;
    }

    /**
     * True when the email fits the bytes left; an email alone with a run that has nothing in flight always fits,
     * so none waits for ever.
     */
    boolean fits(PendingEmail p) {
        return (jobs.isEmpty() && !runHasInFlight) || bytes + sizeOf(p) <= room.bytes();
    }

    /** True when an email of this id was taken in this read already: a second copy is a duplicate. */
    boolean took(String emailId) {
        return ids.contains(emailId);
    }

    void take(String storeKey, PendingEmail p) {
        take(new SendJob(storeKey, p.emailId(), p.value(), p.acceptedAt(), p.onlyRecipients()), p);
    }

    /** Takes {@code p} as {@code job} (e.g. narrowed to the recipients not suppressed). */
    void take(SendJob job, PendingEmail p) {
        // The lanes take a HIGH job ahead of the normal ones queued before it.
        jobs.add(p.isHigh() ? job.withPriority(p.priority()) : job);
        entries.add(p);
        ids.add(p.emailId());
        bytes += sizeOf(p);
    }

    /** An entry needed no server (a duplicate, skipped): recorded on the spot, it counts against the tick's work. */
    void settled() {
        settled++;
    }

    /** The read stopped before an entry it could not take now. */
    void stopped() {
        reachedEnd = false;
    }

    boolean reachedEnd() {
        return reachedEnd;
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    List<SendJob> jobs() {
        return jobs;
    }

    List<PendingEmail> entries() {
        return entries;
    }

    long bytes() {
        return bytes;
    }

    private static long sizeOf(PendingEmail p) {
        return p.value().length + SendJob.OVERHEAD_BYTES;
    }
}
