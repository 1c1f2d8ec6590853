package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.topology.PendingQuery.TenantPending;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingQueryTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final SortedTestStore<PendingEmail> emails = new SortedTestStore<>();
    private final SortedTestStore<Long> counts = new SortedTestStore<>();
    private final PendingStore pending = new PendingStore(emails.store(), counts.store(), MailerMetrics.inMemory());
    private final Map<String, Instant> knownFirst = new HashMap<>();

    @Test
    void countsDueAndWaitingPerTenantWithoutReadingTheBacklog() {
        for (int i = 0; i < 1000; i++) {
            put("acme", "due" + i, NOW.minusSeconds(2000 - i), NOW.minusSeconds(2000 - i));
        }
        put("acme", "retry", NOW.minusSeconds(5000), NOW.plusSeconds(60));
        put("beta", "one", NOW.minusSeconds(10), NOW.minusSeconds(10));
        pending.flush();
        knownFirst.put("acme", NOW.minusSeconds(2000));
        emails.fullScans = 0;
        emails.rangeStarts.clear();

        Map<String, TenantPending> out = summarize();

        assertThat(out.get("acme")).isEqualTo(new TenantPending("acme", 1000, 1, NOW.minusSeconds(5000)));
        assertThat(out.get("beta")).isEqualTo(new TenantPending("beta", 1, 0, NOW.minusSeconds(10)));
        assertThat(emails.fullScans).isZero();
        assertThat(emails.rangeStarts).as("acme's first due email was known: no seek from its start")
                .doesNotContain(PendingKeys.tenantStart("acme")).contains(PendingKeys.tenantStart("beta"));
    }

    @Test
    void aTenantWithOnlyRetriesReportsTheOldestOfThemNotAStaleFirst() {
        put("acme", "r1", NOW.minusSeconds(300), NOW.plusSeconds(30));
        put("acme", "r2", NOW.minusSeconds(900), NOW.plusSeconds(90));
        pending.flush();
        knownFirst.put("acme", NOW.minusSeconds(10_000)); // an email sent since

        assertThat(summarize().get("acme")).isEqualTo(new TenantPending("acme", 0, 2, NOW.minusSeconds(900)));
    }

    @Test
    void countsAHighEmailWaitingForARetryAsWaitingAndADueOneAsDue() {
        putHigh("acme", "h-retry", NOW.minusSeconds(600), NOW.plusSeconds(60));
        putHigh("acme", "h-due", NOW.minusSeconds(1), NOW.minusSeconds(1));
        put("acme", "n-retry", NOW.minusSeconds(300), NOW.plusSeconds(30));
        pending.flush();

        assertThat(summarize().get("acme")).isEqualTo(new TenantPending("acme", 1, 2, NOW.minusSeconds(600)));
    }

    private void putHigh(String tenant, String id, Instant acceptedAt, Instant dueAt) {
        PendingEmail p = new PendingEmail(tenant, id, new byte[0], "mail.outbox/0/0", acceptedAt, 0, null, dueAt)
                .withPriority(io.github.kafkamailer.model.Priority.HIGH);
        pending.put(p.storeKey(), p);
    }

    @Test
    void aTenantWithNothingPendingIsNotListed() {
        put("acme", "x", NOW, NOW);
        pending.flush();
        pending.delete(PendingKeys.of("acme", NOW, "x"));
        pending.flush();
        assertThat(summarize()).isEmpty();
    }

    private Map<String, TenantPending> summarize() {
        return PendingQuery.summarize(emails.store(), counts.store(), NOW, knownFirst::get);
    }

    private void put(String tenant, String id, Instant acceptedAt, Instant dueAt) {
        pending.put(PendingKeys.of(tenant, dueAt, id),
                new PendingEmail(tenant, id, new byte[0], "mail.outbox/0/0", acceptedAt, 0, null, dueAt));
    }
}
