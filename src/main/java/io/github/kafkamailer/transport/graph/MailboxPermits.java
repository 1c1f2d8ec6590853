package io.github.kafkamailer.transport.graph;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * At most {@value #PER_MAILBOX} Graph requests in flight per mailbox in this process, whatever the number of
 * lanes: Microsoft Graph allows 4 concurrent requests per mailbox and throttles (429) beyond. The mailbox is the
 * one in the request's path ({@code /users/{mailbox}/...}), or the one a request is tagged with ({@link Tag}:
 * the upload-session chunks, whose URL is Outlook's own). A request waits for a permit (fairly) up to the
 * call's deadline, then fails as unreachable; requests for no mailbox pass freely.
 *
 * <p>The permit is held from sending the request until its response headers came back; a retry of the SDK takes
 * a new one, so its wait for Retry-After holds none. Permits of a mailbox nobody uses are forgotten.
 */
final class MailboxPermits implements Interceptor {
    /** Microsoft Graph's limit of concurrent requests per mailbox (Outlook service limits). */
    static final int PER_MAILBOX = 4;

    /** The mailbox a request that names none in its path counts against. */
    record Tag(String mailbox) {
    }

    private final int permits;
    private final Duration maxWait;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        final Semaphore semaphore;
        int users;

        Entry(int permits) {
            semaphore = new Semaphore(permits, true);
        }
    }

    MailboxPermits(int permits, Duration maxWait) {
        this.permits = permits;
        this.maxWait = maxWait;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String mailbox = mailboxOf(request);
        if (mailbox == null) {
            return chain.proceed(request);
        }
        String key = key(request.url().host(), mailbox);
        Entry entry = join(key);
        try {
            if (!entry.semaphore.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("no Graph request slot for the mailbox within " + maxWait.toSeconds()
                        + " s (Graph allows " + permits + " concurrent requests per mailbox)");
            }
        } catch (InterruptedException e) {
            leave(key, entry);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a Graph request slot");
        } catch (IOException e) {
            leave(key, entry);
            throw e;
        }
        try {
            return chain.proceed(request);
        } finally {
            entry.semaphore.release();
            leave(key, entry);
        }
    }

    /** Requests holding or waiting for a permit of this host and mailbox. */
    synchronized int inFlight(String host, String mailbox) {
        Entry e = entries.get(key(host, mailbox));
        return e == null ? 0 : permits - e.semaphore.availablePermits();
    }

    private synchronized Entry join(String key) {
        Entry e = entries.computeIfAbsent(key, k -> new Entry(permits));
        e.users++;
        return e;
    }

    private synchronized void leave(String key, Entry e) {
        if (--e.users == 0) {
            entries.remove(key, e);
        }
    }

    private static String key(String host, String mailbox) {
        return host.toLowerCase(Locale.ROOT) + "|" + mailbox.toLowerCase(Locale.ROOT);
    }

    /** The tagged mailbox, else the segment after {@code users} in the path (OkHttp decodes it). */
    static String mailboxOf(Request request) {
        Tag tag = request.tag(Tag.class);
        if (tag != null) {
            return tag.mailbox();
        }
        List<String> segments = request.url().pathSegments();
        for (int i = 0; i + 1 < segments.size(); i++) {
            if (segments.get(i).equalsIgnoreCase("users") && !segments.get(i + 1).isEmpty()) {
                return segments.get(i + 1);
            }
        }
        return null;
    }
}
