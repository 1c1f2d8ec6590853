package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.SuppressionAdmin;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suppressions page's endpoints: look an address (or a tenant's addresses) up, suppress one, lift one; each
 * change audited like a config save.
 */
final class SuppressionEndpoints implements AdminConsole.Endpoints {
    /** The page shows at most this many. */
    static final int SHOWN = 200;

    private final SuppressionAdmin suppressions;
    private final AuditLog audit;
    private final Clock clock;

    SuppressionEndpoints(SuppressionAdmin suppressions, AuditLog audit, Clock clock) {
        this.suppressions = suppressions;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void register(Routes routes) {
        routes.get("/api/suppressions", this::list);
        routes.post("/api/suppressions/add", this::add);
        routes.post("/api/suppressions/remove", this::remove);
    }

    private void list(Call call) throws IOException {
        String tenant = call.query("tenant").filter(t -> !t.isBlank()).orElse(null);
        String address = call.query("address").filter(a -> !a.isBlank()).orElse(null);
        if (tenant == null && address == null) {
            throw new Call.Refused(400, "give a tenant, an address or both");
        }
        List<Suppression> found = suppressions.list(tenant, address);
        List<Map<String, Object>> rows = new ArrayList<>();
        found.stream().limit(SHOWN).forEach(s -> rows.add(row(s)));
        call.json(200, Map.of("suppressions", rows, "truncated", found.size() > SHOWN));
    }

    private void add(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        String reasonText = text(body, "reason");
        SuppressionReason reason;
        try {
            reason = reasonText == null ? SuppressionReason.MANUAL : SuppressionReason.valueOf(reasonText);
        } catch (IllegalArgumentException e) {
            throw new Call.Refused(400, "reason is one of " + java.util.Arrays.toString(SuppressionReason.values()));
        }
        Suppression s;
        try {
            s = suppressions.add(text(body, "tenant"), text(body, "address"), reason, clock.instant());
        } catch (InvalidRecordException e) {
            throw new Call.Refused(400, e.getMessage());
        }
        audit.record(call.who(), "suppression.add", "tenant", s.tenant(), "address", s.address(), "reason",
                s.reason());
        call.json(200, row(s));
    }

    private void remove(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        String tenant = text(body, "tenant");
        String address = text(body, "address");
        try {
            suppressions.remove(tenant, address);
        } catch (InvalidRecordException e) {
            throw new Call.Refused(400, e.getMessage());
        }
        audit.record(call.who(), "suppression.remove", "tenant", tenant, "address", Suppression.normalize(address));
        call.json(200, Map.of("lifted", Suppression.keyOf(tenant, address)));
    }

    private static String text(Map<String, Object> body, String field) {
        return body.get(field) instanceof String s && !s.isBlank() ? s.trim() : null;
    }

    private static Map<String, Object> row(Suppression s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", s.tenant());
        m.put("address", s.address());
        m.put("reason", s.reason().name());
        m.put("at", s.at().toString());
        return m;
    }
}
