package io.github.kafkamailer.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * When each idle tenant of a task should next be looked at: its next run may start, or its first pending email
 * becomes due. A tick takes only the tenants whose time came, so an idle tenant, or one whose emails wait for a
 * retry an hour away, costs nothing per tick. A tenant is in here only while it has pending emails and no run.
 * Stream thread only.
 */
final class TenantWakeUps {
    private record WakeUp(Instant at, String tenant) {
    }

    private static final Comparator<WakeUp> ORDER = Comparator.comparing(WakeUp::at).thenComparing(WakeUp::tenant);

    private final Map<String, Instant> byTenant = new HashMap<>();
    private final TreeSet<WakeUp> byTime = new TreeSet<>(ORDER);

    /** Looks at the tenant at {@code at}, or earlier if it was to be looked at earlier already. */
    void wakeAt(String tenant, Instant at) {
        Instant old = byTenant.get(tenant);
        if (old != null) {
            if (!at.isBefore(old)) {
                return;
            }
            byTime.remove(new WakeUp(old, tenant));
        }
        byTenant.put(tenant, at);
        byTime.add(new WakeUp(at, tenant));
    }

    void forget(String tenant) {
        Instant old = byTenant.remove(tenant);
        if (old != null) {
            byTime.remove(new WakeUp(old, tenant));
        }
    }

    /** Takes out the tenants whose time came, earliest first. */
    List<String> takeDue(Instant now) {
        List<String> out = new ArrayList<>();
        while (!byTime.isEmpty() && !byTime.first().at().isAfter(now)) {
            WakeUp w = byTime.pollFirst();
            byTenant.remove(w.tenant());
            out.add(w.tenant());
        }
        return out;
    }

    int size() {
        return byTenant.size();
    }
}
