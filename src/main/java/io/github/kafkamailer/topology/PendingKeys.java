package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.Priority;
import java.time.Instant;

/**
 * Keys of the pending store: {@code tenant NUL dueAt NUL id}, with dueAt as fixed-width epoch millis. The
 * store sorts by key, so one range scan yields a tenant's due emails oldest first, without reading the rest
 * (a million pending emails stay on disk). The same id due at the same instant is one entry: a producer's
 * duplicate overwrites rather than doubles.
 *
 * <p>A HIGH email's key has a mark before its dueAt: {@code tenant NUL ! dueAt NUL id}. The mark sorts before
 * every digit, so the tenant's HIGH emails make a range of their own ahead of its normal ones, in due order too:
 * one seek finds the due HIGH emails first, and a normal read starts after the range ({@link #normalStart}). A
 * normal email's key is as it always was.
 */
final class PendingKeys {
    private static final char SEP = '\u0000';
    private static final String ZEROS = "000000000000000";
    /** Before a HIGH email's dueAt: sorts after SEP and before every digit. */
    private static final char HIGH = '!';

    private PendingKeys() {
    }

    static String of(String tenant, Instant dueAt, String emailId) {
        return tenant + SEP + millis(dueAt) + SEP + emailId;
    }

    /** The key of an email of {@code priority}: a HIGH one's in the tenant's HIGH range. */
    static String of(String tenant, Instant dueAt, String emailId, Priority priority) {
        return priority == Priority.HIGH ? tenant + SEP + HIGH + millis(dueAt) + SEP + emailId
                : of(tenant, dueAt, emailId);
    }

    /** The first possible key of the tenant's HIGH emails. */
    static String highStart(String tenant) {
        return tenant + SEP + HIGH;
    }

    /** A key after every key of the tenant's HIGH emails due at or before {@code now}. */
    static String highDueEnd(String tenant, Instant now) {
        return tenant + SEP + HIGH + millis(now) + '\u0001';
    }

    /** A key after every key of the tenant's HIGH emails, before every normal one: where a normal read starts. */
    static String normalStart(String tenant) {
        return tenant + SEP + (char) (HIGH + 1);
    }

    /** True for the key of a HIGH email. */
    static boolean isHigh(String key) {
        int sep = key.indexOf(SEP);
        return sep + 1 < key.length() && key.charAt(sep + 1) == HIGH;
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
