package io.github.kafkamailer.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an outbox record reached the mailer, from its timestamp: the order of sending, the email's first due
 * time, what {@code skipPendingOnStart} compares and {@code createdAt} when the event has none. A timestamp ahead
 * of this instance's clock (a producer whose clock runs ahead, a timestamp set by hand) would hold the email back
 * until then, silently. Up to {@link #TOLERATED_AHEAD} ahead (clocks a little apart) the timestamp is kept, so the
 * emails of a producer stay in its order and wait at most that long; further ahead the email counts as arriving
 * now, said at WARN once per tenant (the last {@link #REMEMBERED} tenants are remembered, so a producer inventing
 * tenants can't grow the set), never once per email.
 */
final class ArrivalTimes {
    private static final Logger LOG = LoggerFactory.getLogger(ArrivalTimes.class);
    /** Clocks a little apart are normal: a timestamp this close ahead is kept. */
    static final Duration TOLERATED_AHEAD = Duration.ofSeconds(1);
    static final int REMEMBERED = 1000;

    private final Set<String> warned = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    private final boolean warns;

    ArrivalTimes() {
        this(true);
    }

    /** @param warns false: says nothing when a timestamp runs ahead (another reader of the same records says it) */
    ArrivalTimes(boolean warns) {
        this.warns = warns;
    }

    /** The arrival of a record stamped {@code timestampMs}, seen at {@code nowMs}: never more than a second ahead. */
    Instant acceptedAt(String tenant, long timestampMs, long nowMs) {
        long stamped = Math.max(0, timestampMs);
        if (stamped <= nowMs + TOLERATED_AHEAD.toMillis()) {
            return Instant.ofEpochMilli(stamped);
        }
        if (warns && warned.add(tenant)) {
            LOG.warn("Tenant '{}': a record's timestamp is {} ahead of this mailer's clock (a producer's clock running"
                    + " ahead?); such emails count as arriving now, not held back (said once per tenant)", tenant,
                    Duration.ofMillis(stamped - nowMs));
        }
        return Instant.ofEpochMilli(nowMs);
    }
}
