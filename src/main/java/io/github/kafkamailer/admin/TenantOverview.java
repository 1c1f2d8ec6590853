package io.github.kafkamailer.admin;

import java.time.Instant;

/**
 * One tenant at a glance, over every instance of the mailer: emails due now, emails waiting for a retry, how
 * long the oldest pending one has waited, and the tenant's last sending run and last error.
 *
 * @param oldestPendingAgeSeconds null when nothing is pending
 * @param lastRunAt               null before the tenant's first run (on any instance)
 * @param lastError               the last failure's reason (never a secret); null when none
 */
public record TenantOverview(String tenant, long dueNow, long waitingForRetry, Long oldestPendingAgeSeconds,
                             Instant lastRunAt, String lastError) {
}
