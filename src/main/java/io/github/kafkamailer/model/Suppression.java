package io.github.kafkamailer.model;

import java.time.Instant;
import java.util.Locale;

/**
 * One suppressed recipient of one tenant (CONTRACT.md, "Suppression record"), keyed {@code TENANT/ADDRESS}
 * with the address lower-cased, so one address has one record whatever its spelling in an email.
 */
public record Suppression(String tenant, String address, SuppressionReason reason, Instant at) {

    public Suppression {
        address = normalize(address);
    }

    /** The record key: {@code TENANT/ADDRESS}. */
    public String key() {
        return keyOf(tenant, address);
    }

    public static String keyOf(String tenant, String address) {
        return tenant + "/" + normalize(address);
    }

    /** The bare address, trimmed and lower-cased: how suppressions are keyed and looked up. */
    public static String normalize(String address) {
        return address == null ? null : Addresses.bareAddress(address).toLowerCase(Locale.ROOT);
    }
}
