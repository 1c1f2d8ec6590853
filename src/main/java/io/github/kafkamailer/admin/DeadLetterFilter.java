package io.github.kafkamailer.admin;

import java.time.Instant;

/**
 * Which dead letters to list.
 *
 * @param tenantOrNull only this tenant's (the tenant read from the email; {@code unknown} for an unreadable one)
 * @param kindOrNull   only this kind ({@code INVALID}, {@code PERMANENT}, {@code EXPIRED}), any case
 * @param sinceOrNull  only those dead-lettered at or after this instant
 * @param limit        the newest this many at most (at least 1)
 */
public record DeadLetterFilter(String tenantOrNull, String kindOrNull, Instant sinceOrNull, int limit) {
    public DeadLetterFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    public static DeadLetterFilter newest(int limit) {
        return new DeadLetterFilter(null, null, null, limit);
    }

    boolean accepts(DeadLetter d) {
        return (tenantOrNull == null || tenantOrNull.equals(d.tenant()))
                && (kindOrNull == null || kindOrNull.equalsIgnoreCase(d.kind()))
                && (sinceOrNull == null || !d.deadLetteredAt().isBefore(sinceOrNull));
    }
}
