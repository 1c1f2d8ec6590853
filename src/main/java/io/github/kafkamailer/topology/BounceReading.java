package io.github.kafkamailer.topology;

import io.github.kafkamailer.bounce.BounceMailbox;
import io.github.kafkamailer.bounce.ImapBounceMailbox;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How the sending tasks read their tenants' bounce mailboxes: the mailbox reader, the threads it runs on (never a
 * stream thread), and how long a processed notification stays in the mailbox before a read deletes it.
 *
 * @param deleteAfter a notification is deleted only this long after its statuses were written, so that they are
 *                    committed first (the commit interval is far shorter): a crash before that commit makes the
 *                    next owner process it again, and none is ever deleted unrecorded
 */
public record BounceReading(BounceMailbox mailbox, Executor executor, Duration deleteAfter) {

    /** IMAP, on two daemon threads shared by every task of the process (one read per tenant at a time). */
    public static BounceReading imap(Duration deleteAfter) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "mailer-bounce-reader");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return new BounceReading(new ImapBounceMailbox(), pool, deleteAfter);
    }
}
