package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.metrics.MailerMetrics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final SortedTestStore<PendingEmail> emails = new SortedTestStore<>();
    private final SortedTestStore<Long> counts = new SortedTestStore<>();
    private final PendingStore pending = new PendingStore(emails.store(), counts.store(), MailerMetrics.inMemory());

    @Test
    void readsStartAfterWhatWasSentNotAtTheTenantsFirstPossibleKey() {
        for (int i = 0; i < 10; i++) {
            put("acme", "e" + i, T0.plusSeconds(i));
        }
        assertThat(pending.readFrom("acme")).isEqualTo(PendingKeys.tenantStart("acme"));
        assertThat(pending.first("acme").value.emailId()).isEqualTo("e0");
        for (int i = 0; i < 6; i++) {
            pending.delete(key("acme", "e" + i, T0.plusSeconds(i)));
        }
        assertThat(pending.first("acme").value.emailId()).isEqualTo("e6");
        // In RocksDB, e0..e5 are tombstones now: the next reads seek from e6, not over them.
        emails.rangeStarts.clear();
        assertThat(pending.first("acme").value.emailId()).isEqualTo("e6");
        assertThat(pending.readFrom("acme")).isEqualTo(key("acme", "e6", T0.plusSeconds(6)));
        assertThat(emails.rangeStarts).containsExactly(key("acme", "e6", T0.plusSeconds(6)));
    }

    @Test
    void anEmailDueBeforeTheFloorIsStillFound() {
        put("acme", "later", T0.plusSeconds(60));
        assertThat(pending.first("acme").value.emailId()).isEqualTo("later");
        put("acme", "earlier", T0);
        assertThat(pending.readFrom("acme")).isEqualTo(key("acme", "earlier", T0));
        assertThat(pending.first("acme").value.emailId()).isEqualTo("earlier");
    }

    @Test
    void eachTenantHasItsOwnFloor() {
        put("a", "x", T0);
        put("b", "y", T0.plusSeconds(5));
        pending.first("a");
        pending.delete(key("a", "x", T0));
        assertThat(pending.first("a")).isNull();
        assertThat(pending.first("b").value.emailId()).isEqualTo("y");
        assertThat(pending.readFrom("b")).isEqualTo(key("b", "y", T0.plusSeconds(5)));
        put("a", "z", T0.minusSeconds(100));
        assertThat(pending.first("a").value.emailId()).isEqualTo("z");
    }

    private void put(String tenant, String id, Instant dueAt) {
        pending.put(key(tenant, id, dueAt),
                new PendingEmail(tenant, id, new byte[0], "mail.outbox/0/0", T0, 0, null, dueAt));
    }

    private static String key(String tenant, String id, Instant dueAt) {
        return PendingKeys.of(tenant, dueAt, id);
    }
}
