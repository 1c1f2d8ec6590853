package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.MailerConfig;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A sending task's view of the config table: one tenant's config at a time (a per-key read, parsed once per
 * version), and the tenants whose config changed since the last look ({@link ConfigChanges}). The task never
 * walks the table: its work grows with the tenants that have something to send, not with the configs.
 */
final class TenantConfigs {
    private final KeyValueStore<String, byte[]> table;
    private final ConfigChanges changes;
    private final Queue<String> changed;
    private final Map<String, Parsed> parsed = new HashMap<>();

    /** A config as the table holds it (bytes) and parsed once per version. */
    private record Parsed(byte[] bytes, MailerConfig config) {
    }

    TenantConfigs(KeyValueStore<String, byte[]> table, ConfigChanges changes) {
        this.table = table;
        this.changes = changes;
        this.changed = changes.subscribe();
    }

    /** The tenant's config in force, or null when it has none. */
    MailerConfig get(String tenant) {
        byte[] bytes = table.get(tenant);
        if (bytes == null) {
            parsed.remove(tenant);
            return null;
        }
        Parsed p = parsed.get(tenant);
        if (p == null || (p.bytes() != bytes && !Arrays.equals(p.bytes(), bytes))) {
            // The table only ever holds configs that passed validation.
            p = new Parsed(bytes, ConfigJson.parse(bytes));
            parsed.put(tenant, p);
        }
        return p.config();
    }

    /** The tenants whose config changed (or was removed) since the last call, each once. */
    Set<String> changed() {
        Set<String> out = new LinkedHashSet<>();
        String t;
        while ((t = changed.poll()) != null) {
            out.add(t);
        }
        return out;
    }

    void close() {
        changes.unsubscribe(changed);
    }
}
