package io.github.kafkamailer.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.kafkamailer.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of {@code GET /api/pending} ({@code {"tenants": [...], "instances": [...]}}) and the merge of several
 * instances' overviews into one per tenant.
 */
public final class TenantOverviews {

    /** One instance asked for its part: where, whether it answered, and why not. */
    public record Instance(String address, boolean ok, String error) {
    }

    /** The answer: per tenant over every instance that answered, and the instances asked. */
    public record Answer(List<TenantOverview> tenants, List<Instance> instances) {
    }

    private TenantOverviews() {
    }

    /**
     * One overview per tenant: counts added up, the oldest pending age the largest, the last run the latest (with
     * the error of that instance, or any other's when it had none).
     */
    public static List<TenantOverview> merge(Collection<TenantOverview> parts) {
        Map<String, TenantOverview> byTenant = new TreeMap<>();
        for (TenantOverview p : parts) {
            byTenant.merge(p.tenant(), p, TenantOverviews::combine);
        }
        return new ArrayList<>(byTenant.values());
    }

    private static TenantOverview combine(TenantOverview a, TenantOverview b) {
        // Not one conditional expression: with Math.max's long in it, its type is long, and two nulls would be
        // unboxed (a NullPointerException whenever two instances both ran a tenant that has nothing pending).
        Long oldest;
        if (a.oldestPendingAgeSeconds() == null) {
            oldest = b.oldestPendingAgeSeconds();
        } else if (b.oldestPendingAgeSeconds() == null) {
            oldest = a.oldestPendingAgeSeconds();
        } else {
            oldest = Math.max(a.oldestPendingAgeSeconds(), b.oldestPendingAgeSeconds());
        }
        boolean aLater = b.lastRunAt() == null || (a.lastRunAt() != null && !a.lastRunAt().isBefore(b.lastRunAt()));
        TenantOverview later = aLater ? a : b;
        TenantOverview other = aLater ? b : a;
        return new TenantOverview(a.tenant(), a.dueNow() + b.dueNow(), a.waitingForRetry() + b.waitingForRetry(),
                oldest, later.lastRunAt(), later.lastError() != null ? later.lastError() : other.lastError());
    }

    public static String toJson(Answer answer) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, Object>> tenants = new ArrayList<>();
        for (TenantOverview t : answer.tenants()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tenant", t.tenant());
            m.put("dueNow", t.dueNow());
            m.put("waitingForRetry", t.waitingForRetry());
            m.put("oldestPendingAgeSeconds", t.oldestPendingAgeSeconds());
            m.put("lastRunAt", t.lastRunAt() == null ? null : t.lastRunAt().toString());
            m.put("lastError", t.lastError());
            tenants.add(m);
        }
        root.put("tenants", tenants);
        List<Map<String, Object>> instances = new ArrayList<>();
        for (Instance i : answer.instances()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", i.address());
            m.put("ok", i.ok());
            m.put("error", i.error());
            instances.add(m);
        }
        root.put("instances", instances);
        try {
            return Json.writer().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when it is not such an answer */
    public static Answer fromJson(String json) {
        try {
            Map<String, Object> root = Json.tolerantReader().forType(new TypeReference<Map<String, Object>>() {
            }).readValue(json);
            List<TenantOverview> tenants = new ArrayList<>();
            for (Object o : list(root.get("tenants"))) {
                Map<?, ?> m = (Map<?, ?>) o;
                tenants.add(new TenantOverview((String) m.get("tenant"), number(m.get("dueNow")),
                        number(m.get("waitingForRetry")),
                        m.get("oldestPendingAgeSeconds") == null ? null : number(m.get("oldestPendingAgeSeconds")),
                        m.get("lastRunAt") == null ? null : Instant.parse((String) m.get("lastRunAt")),
                        (String) m.get("lastError")));
            }
            List<Instance> instances = new ArrayList<>();
            for (Object o : list(root.get("instances"))) {
                Map<?, ?> m = (Map<?, ?>) o;
                instances.add(new Instance((String) m.get("address"), Boolean.TRUE.equals(m.get("ok")),
                        (String) m.get("error")));
            }
            return new Answer(tenants, instances);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a pending overview: " + e.getMessage(), e);
        }
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }
}
