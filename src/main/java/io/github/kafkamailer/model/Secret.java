package io.github.kafkamailer.model;

import java.util.Objects;

/**
 * A password or client secret. Its {@code toString} never shows the value, so a secret that slips into a log
 * line, an exception message or a status event shows up as {@value #REDACTED} instead of leaking.
 */
public final class Secret {
    public static final String REDACTED = "********";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** Returns null for a null or empty value: an empty secret is no secret. */
    public static Secret ofNullable(String value) {
        return value == null || value.isEmpty() ? null : new Secret(value);
    }

    /** The value itself; call it only where the secret is handed to the server that needs it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
