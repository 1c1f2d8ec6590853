package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.admin.TenantOverview;
import io.github.kafkamailer.admin.TenantOverviews;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The status page's endpoints: one email's status history, and the per-tenant overview. The overview joins
 * what is pending and each tenant's last run and error (aggregated over every instance by the mailer's
 * {@code /api/pending}) with the last hour's sent emails and dead letters (counted from the topics).
 */
final class StatusEndpoints implements AdminConsole.Endpoints {
    private final StatusAdmin statuses;
    private final ConfigAdmin configs;
    private final Supplier<TenantOverviews.Answer> pending;
    private final LastHour lastHour;
    private final Clock clock;

    StatusEndpoints(StatusAdmin statuses, ConfigAdmin configs, Supplier<TenantOverviews.Answer> pending, LastHour lastHour,
                    Clock clock) {
        this.statuses = statuses;
        this.configs = configs;
        this.pending = pending;
        this.lastHour = lastHour;
        this.clock = clock;
    }

    @Override
    public void register(Routes routes) {
        routes.get("/api/status", this::history);
        routes.get("/api/overview", this::overview);
    }

    private void history(Call call) throws IOException {
        String id = call.requiredQuery("id");
        call.json(200, Map.of("id", id, "events", statuses.history(id, call.query("tenant").orElse(null))));
    }

    private void overview(Call call) throws IOException {
        TenantOverviews.Answer answer = pending.get();
        Map<String, TenantOverview> byTenant = new TreeMap<>();
        answer.tenants().forEach(t -> byTenant.put(t.tenant(), t));
        Map<String, LastHour.Counts> counts = lastHour.counts();
        TreeSet<String> tenants = new TreeSet<>(configs.tenants());
        tenants.addAll(byTenant.keySet());
        tenants.addAll(counts.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String tenant : tenants) {
            TenantOverview o = byTenant.getOrDefault(tenant, new TenantOverview(tenant, 0, 0, null, null, null));
            LastHour.Counts c = counts.getOrDefault(tenant, new LastHour.Counts(0, 0));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tenant", tenant);
            row.put("sentLastHour", c.sent());
            row.put("dueNow", o.dueNow());
            row.put("waitingForRetry", o.waitingForRetry());
            row.put("oldestPendingAgeSeconds", o.oldestPendingAgeSeconds());
            row.put("deadLettersLastHour", c.deadLettered());
            row.put("lastRunAt", o.lastRunAt());
            row.put("lastError", o.lastError());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", clock.instant());
        out.put("tenants", rows);
        // An instance that did not answer: its pending emails are missing from the figures, and the page says so.
        out.put("partial", answer.instances().stream().anyMatch(i -> !i.ok()));
        call.json(200, out);
    }
}
