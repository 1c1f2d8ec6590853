package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.admin.StatusLookup;
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
 * The status page's endpoints: one email's latest status (from the mailer's store, across instances: one read
 * whatever the topic holds) or, on request, its full history (read from the status topic), and the per-tenant
 * overview. The overview joins
 * what is pending and each tenant's last run and error (aggregated over every instance by the mailer's
 * {@code /api/pending}) with the last hour's sent emails and dead letters (counted from the topics).
 */
final class StatusEndpoints implements AdminConsole.Endpoints {
    private final StatusLookup latest;
    private final StatusAdmin statuses;
    private final ConfigAdmin configs;
    private final Supplier<TenantOverviews.Answer> pending;
    private final LastHour lastHour;
    private final Clock clock;

    StatusEndpoints(StatusLookup latest, StatusAdmin statuses, ConfigAdmin configs,
                    Supplier<TenantOverviews.Answer> pending, LastHour lastHour, Clock clock) {
        this.latest = latest;
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

    /**
     * {@code ?id=ID[&tenant=T]}: {@code {"id", "latest": [...]}}, each tenant's latest status (empty when none;
     * {@code "unavailable"} says why no mailer could answer); with {@code &history=true}, {@code {"id", "events"}}:
     * every status on the topic, oldest first (a read of the id's partition from its start).
     */
    private void history(Call call) throws IOException {
        String id = call.requiredQuery("id");
        String tenant = call.query("tenant").filter(t -> !t.isBlank()).orElse(null);
        if (call.query("history").filter("true"::equals).isPresent()) {
            call.json(200, Map.of("id", id, "events", statuses.history(id, tenant)));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        StatusLookup.Answer a = latest.latest(id, tenant);
        out.put("latest", a instanceof StatusLookup.Found f ? f.statuses() : List.of());
        if (a instanceof StatusLookup.Unavailable u) {
            out.put("unavailable", u.reason());
        }
        call.json(200, out);
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
