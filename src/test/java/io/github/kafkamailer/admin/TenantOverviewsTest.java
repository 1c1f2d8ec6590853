package io.github.kafkamailer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantOverviewsTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void shouldAddUpTheInstancesOfEachTenant() {
        List<TenantOverview> merged = TenantOverviews.merge(List.of(
                new TenantOverview("acme", 3, 1, 40L, T, null),
                new TenantOverview("acme", 2, 0, 90L, T.minusSeconds(5), "451 try later"),
                new TenantOverview("beta", 0, 0, null, null, null)));
        assertThat(merged).containsExactly(new TenantOverview("acme", 5, 1, 90L, T, "451 try later"),
                new TenantOverview("beta", 0, 0, null, null, null));
    }

    @Test
    void shouldMergeATenantBothInstancesRanWithNothingPending() {
        // Both ran it (its partition moved), neither holds a pending email of it: no age on either side.
        List<TenantOverview> merged = TenantOverviews.merge(List.of(
                new TenantOverview("acme", 0, 0, null, T.minusSeconds(60), null),
                new TenantOverview("acme", 0, 0, null, T, null),
                new TenantOverview("beta", 0, 0, null, T, null),
                new TenantOverview("beta", 1, 0, 7L, null, null)));
        assertThat(merged).containsExactly(new TenantOverview("acme", 0, 0, null, T, null),
                new TenantOverview("beta", 1, 0, 7L, T, null));
    }

    @Test
    void shouldRoundTripThroughJson() {
        TenantOverviews.Answer a = new TenantOverviews.Answer(List.of(new TenantOverview("acme", 1, 2, 3L, T, "e")),
                List.of(new TenantOverviews.Instance("h:1", true, null), new TenantOverviews.Instance("h:2", false, "down")));
        assertThat(TenantOverviews.fromJson(TenantOverviews.toJson(a))).isEqualTo(a);
    }
}
