package io.github.kafkamailer.sending;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A run's queue of jobs for its lanes: HIGH jobs first, then the normal ones, each in the order they were handed
 * out. A HIGH email handed out while a batch of normal ones waits for the lanes goes with the next lane free, not
 * behind that batch. Thread-safe: the stream thread adds, the run's lanes take.
 */
final class JobQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<SendJob> high = new ArrayDeque<>();
    private final ArrayDeque<SendJob> normal = new ArrayDeque<>();

    void addAll(List<SendJob> jobs) {
        lock.lock();
        try {
            for (SendJob job : jobs) {
                (job.isHigh() ? high : normal).add(job);
            }
            if (!jobs.isEmpty()) {
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next job, HIGH first; null when there is none. */
    SendJob poll() {
        lock.lock();
        try {
            return next();
        } finally {
            lock.unlock();
        }
    }

    /** The next job, HIGH first, waiting up to {@code timeout} for one; null when none came. */
    SendJob poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            SendJob job;
            while ((job = next()) == null) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return job;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return high.size() + normal.size();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    private SendJob next() {
        SendJob job = high.poll();
        return job != null ? job : normal.poll();
    }
}
