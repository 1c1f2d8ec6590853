package io.github.kafkamailer.http;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads of one HTTP server. The JDK's server hands each readable connection to its executor, and that
 * thread reads the request line, headers and body blocking, then runs the handler: here each such task gets at
 * most {@code deadline}, then its thread is interrupted, which closes the connection it is blocked on (the
 * server's reads and writes go through an interruptible channel). Only quick work runs here (probes, small
 * answers, handing over to the {@link SlowLane}), so the deadline is the client's: headers and body arriving,
 * the answer being taken.
 *
 * <p>No queue: a thread per task up to {@code maxThreads}, beyond that {@code execute} throws and the server
 * closes that connection. With more threads than the server accepts connections, every accepted connection
 * finds one.
 */
final class DeadlineExecutor implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor watchdog;
    private final Duration deadline;
    private final AtomicLong cut = new AtomicLong();

    /** @param deadline how long one task may take; null for no limit */
    DeadlineExecutor(String name, int maxThreads, Duration deadline) {
        this.deadline = deadline;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(1, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name + "-deadline");
            t.setDaemon(true);
            return t;
        });
        watchdog.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(() -> runWithin(task));
    }

    private void runWithin(Runnable task) {
        Watch watch = new Watch(Thread.currentThread());
        ScheduledFuture<?> alarm = deadline == null ? null
                : watchdog.schedule(watch::cut, deadline.toNanos(), TimeUnit.NANOSECONDS);
        try {
            task.run();
        } finally {
            watch.finish();
            if (alarm != null) {
                alarm.cancel(false);
            }
        }
    }

    /** How many tasks were cut at the deadline so far. */
    long cutCount() {
        return cut.get();
    }

    /** Threads running a task now. */
    int busyThreads() {
        return pool.getActiveCount();
    }

    /** One task on its thread: interrupted at the deadline unless it finished first, never afterwards. */
    private final class Watch {
        private final Thread thread;
        private boolean finished;

        Watch(Thread thread) {
            this.thread = thread;
        }

        synchronized void cut() {
            if (!finished) {
                cut.incrementAndGet();
                thread.interrupt();
            }
        }

        synchronized void finish() {
            finished = true;
            // An interrupt that came as the task ended must not reach the thread's next task.
            Thread.interrupted();
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        pool.shutdownNow();
    }
}
