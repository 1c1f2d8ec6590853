package io.github.kafkamailer.topology;

import java.time.Instant;

/**
 * Keys of the pending store: {@code tenant NUL dueAt NUL id}, with dueAt as fixed-width epoch millis. The
 * store sorts by key, so one range scan yields a tenant's due emails oldest first, without reading the rest
 * (a million pending emails stay on disk). The same id due at the same instant is one entry: a producer's
 * duplicate overwrites rather than doubles.
 */
final class PendingKeys {
    private static final char SEP = '\u0000';
    private static final String ZEROS = "000000000000000";

    private PendingKeys() {
    }

    static String of(String tenant, Instant dueAt, String emailId) {
        return tenant + SEP + millis(dueAt) + SEP + emailId;
    }

    /** The first possible key of a tenant. */
    static String tenantStart(String tenant) {
        return tenant + SEP;
    }

    /** A key after every key of the tenant. */
    static String tenantEnd(String tenant) {
        return tenant + '\u0001';
    }

    /** A key after every key of the tenant due at or before {@code now}. */
    static String dueEnd(String tenant, Instant now) {
        return tenant + SEP + millis(now) + '\u0001';
    }

    /** The tenant of a key. */
    static String tenantOf(String key) {
        return key.substring(0, key.indexOf(SEP));
    }

    /** The first key strictly after {@code key}. */
    static String after(String key) {
        return key + SEP;
    }

    private static String millis(Instant t) {
        return fixedWidth(Math.max(0, t.toEpochMilli()));
    }

    /**
     * Epoch millis as 15 digits with leading zeros (more when they need more, past the year 33658), so that
     * the keys sort by time. What {@code String.format("%015d")} writes, without its parsing of the pattern on
     * every key.
     */
    static String fixedWidth(long millis) {
        String digits = Long.toString(millis);
        return digits.length() >= ZEROS.length() ? digits : ZEROS.substring(digits.length()) + digits;
    }
}
