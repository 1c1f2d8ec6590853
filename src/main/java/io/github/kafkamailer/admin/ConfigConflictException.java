package io.github.kafkamailer.admin;

/**
 * A change refused because it was made from a version of the tenant's config that is no longer the one in
 * force: another change came in after it was read, and publishing would silently undo that change. Its message
 * names the newer change (its version, when it was published and which fields it changed; never a value).
 */
public final class ConfigConflictException extends RuntimeException {
    private final String tenant;
    private final long readVersion;
    private final long currentVersion;

    ConfigConflictException(String tenant, long readVersion, long currentVersion, String message) {
        super(message, null, false, false);
        this.tenant = tenant;
        this.readVersion = readVersion;
        this.currentVersion = currentVersion;
    }

    public String tenant() {
        return tenant;
    }

    /** The version the change was made from. */
    public long readVersion() {
        return readVersion;
    }

    /** The version in force now ({@link ConfigAdmin#NO_VERSION} when the tenant has never had a record). */
    public long currentVersion() {
        return currentVersion;
    }
}
