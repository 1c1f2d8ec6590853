package io.github.kafkamailer.admin;

import io.github.kafkamailer.model.MailerConfig;
import java.time.Instant;
import java.util.List;

/**
 * One valid config record of a tenant on the config topic, as published (secret references unresolved).
 *
 * @param at            the record's timestamp
 * @param changedFields the fields whose value differs from the tenant's previous valid version (every field set
 *                      for the first); names only, never values, so a changed secret shows as its name
 */
public record ConfigVersion(String tenant, MailerConfig config, Instant at, long offset, List<String> changedFields) {
    public ConfigVersion {
        changedFields = List.copyOf(changedFields);
    }
}
