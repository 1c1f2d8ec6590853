package io.github.kafkamailer.sending;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A tenant's {@code maxEmailsPerMinute}, kept on the stream thread: an email counts against the window from the
 * moment it is handed to a sender until 60 seconds after its outcome was recorded. The server sees it arrive
 * between those two instants, so no 60-second window of arrivals can hold more than the limit: of any two
 * emails in one window, the later handed out was counted while the earlier was in flight or recorded less than
 * a minute before. What the window can't take waits in the store, in order, neither failed nor retried.
 *
 * <p>The window is saved with the task's state ({@link #toSave}) and restored ({@link #restore}) so that a task
 * moving to another instance, or a restart or a crash, doesn't open a fresh window: what is handed out and not
 * back yet is saved as if it came back at the save, since the server may have seen it.
 */
public final class RateWindow {
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Deque<Instant> recorded = new ArrayDeque<>();
    private int inFlight;

    public RateWindow(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1: " + perMinute);
        }
        this.perMinute = perMinute;
    }

    public int perMinute() {
        return perMinute;
    }

    /** The same window under another limit: what it recorded and what is in flight both still count. */
    public RateWindow withLimit(int limit, Instant now) {
        RateWindow next = new RateWindow(limit);
        next.restore(recent(now), now);
        next.inFlight = inFlight;
        return next;
    }

    /** How many more emails may be handed out now. */
    public int available(Instant now) {
        forget(now);
        return Math.max(0, perMinute - inFlight - recorded.size());
    }

    /** When the window next frees a place; null when one is free now or only in-flight emails hold it. */
    public Instant nextFreeAt(Instant now) {
        if (available(now) > 0 || recorded.isEmpty()) {
            return null;
        }
        return recorded.peekFirst().plus(WINDOW);
    }

    public void handedOut(int n) {
        inFlight += n;
    }

    /** An email handed out came back; {@code attempted} false when no server saw it (it frees its place). */
    public void returned(Instant at, boolean attempted) {
        inFlight = Math.max(0, inFlight - 1);
        if (attempted) {
            recorded.addLast(at);
        }
    }

    /** The instants still inside the window, oldest first, to be saved with the task's state. */
    public java.util.List<Instant> recent(Instant now) {
        forget(now);
        return java.util.List.copyOf(recorded);
    }

    /**
     * What to save with the task's state, oldest first: the instants still inside the window, and each email
     * handed out and not back yet as if it came back {@code now}.
     */
    public java.util.List<Instant> toSave(Instant now) {
        forget(now);
        java.util.List<Instant> out = new java.util.ArrayList<>(recorded);
        for (int i = 0; i < inFlight; i++) {
            out.add(now);
        }
        return out;
    }

    public void restore(java.util.List<Instant> instants, Instant now) {
        recorded.clear();
        instants.stream().sorted().forEach(recorded::addLast);
        forget(now);
    }

    private void forget(Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!recorded.isEmpty() && !recorded.peekFirst().isAfter(cutoff)) {
            recorded.pollFirst();
        }
        // More than the limit can only come from a restore under a lower limit: keep the latest.
        while (recorded.size() > perMinute) {
            recorded.pollFirst();
        }
    }
}
