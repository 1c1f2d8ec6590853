package io.github.kafkamailer.topology;

import io.github.kafkamailer.sending.RateWindow;
import io.github.kafkamailer.sending.TenantRun;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The tenants' rate windows in the task's changelogged store, so that {@code maxEmailsPerMinute} holds across a
 * restart, a crash or a move of the task. A window is saved in the tick its emails are handed out or come back,
 * what is handed out included ({@link RateWindow#toSave}), and the caller asks for a commit then: the window goes
 * into the same commit as the hand-out. While emails are in flight their instant is refreshed once a second,
 * so a restore counts them as sent at most a second before the crash.
 *
 * <p>Format: a version byte, then per second of the window its start (epoch millis, 8 bytes) and how many emails
 * it holds (4 bytes): at most 61 entries, whatever the limit. An entry restores as that many emails sent at the
 * end of its second (the later instant: the window frees them no earlier than it should). The first format, a
 * plain run of 8-byte instants (always a multiple of 8 bytes, where this one never is), is still read.
 */
final class SavedRateWindows {
    private static final byte VERSION = 1;
    private static final Duration REFRESH_IN_FLIGHT = Duration.ofSeconds(1);

    private final KeyValueStore<String, byte[]> store;
    private final Set<String> restored = new HashSet<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private Instant lastRefresh = Instant.EPOCH;

    SavedRateWindows(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The first time the tenant's run has a rate window in this task: it takes what the store saved. */
    void restoreOnce(TenantRun run, Instant now) {
        if (run.rate() == null || !restored.add(run.tenant())) {
            return;
        }
        byte[] saved = store.get(run.tenant());
        if (saved != null) {
            run.rate().restore(decode(saved), now);
        }
    }

    /** The tenant's window changed (emails handed out or back): saved at the end of the tick. */
    void changed(String tenant) {
        changed.add(tenant);
    }

    /**
     * Saves the windows that changed, and once a second those with emails in flight; true when something was
     * written (the caller then asks for a commit).
     */
    boolean save(Iterable<String> running, Function<String, TenantRun> runs, Instant now) {
        if (!now.isBefore(lastRefresh.plus(REFRESH_IN_FLIGHT))) {
            lastRefresh = now;
            for (String tenant : running) {
                if (runs.apply(tenant).inFlight() > 0) {
                    changed.add(tenant);
                }
            }
        }
        boolean wrote = false;
        for (String tenant : changed) {
            TenantRun run = runs.apply(tenant);
            RateWindow rate = run == null ? null : run.rate();
            if (rate != null) {
                wrote |= write(tenant, rate.toSave(now));
            }
        }
        changed.clear();
        return wrote;
    }

    private boolean write(String tenant, List<Instant> window) {
        byte[] old = store.get(tenant);
        if (window.isEmpty()) {
            if (old != null) {
                store.delete(tenant);
                return true;
            }
            return false;
        }
        byte[] bytes = encode(window);
        if (old != null && Arrays.equals(old, bytes)) {
            return false;
        }
        store.put(tenant, bytes);
        return true;
    }

    static byte[] encode(List<Instant> window) {
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        for (Instant t : window) {
            perSecond.merge(Math.floorDiv(t.toEpochMilli(), 1000L) * 1000L, 1, Integer::sum);
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 12 * perSecond.size());
        b.put(VERSION);
        perSecond.forEach((second, n) -> b.putLong(second).putInt(n));
        return b.array();
    }

    static List<Instant> decode(byte[] saved) {
        List<Instant> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(saved);
        if (saved.length % 8 == 0) {
            while (b.remaining() >= 8) {
                out.add(Instant.ofEpochMilli(b.getLong()));
            }
            return out;
        }
        if (b.get() != VERSION) {
            return out;
        }
        while (b.remaining() >= 12) {
            Instant endOfSecond = Instant.ofEpochMilli(b.getLong() + 999);
            int n = b.getInt();
            for (int i = 0; i < n && i < 1_000_000; i++) {
                out.add(endOfSecond);
            }
        }
        return out;
    }
}
