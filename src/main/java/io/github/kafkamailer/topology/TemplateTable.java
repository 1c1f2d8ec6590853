package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.sending.TemplateLookup;
import io.github.kafkamailer.template.CompiledTemplate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The templates in force, compiled: written by {@link TemplateTableProcessor} on the global thread as each version
 * arrives (compiled once there, checked and kept with the record it came from), read by the sender lanes at every
 * templated email without compiling anything. A version replaces the one before it in one step: an email renders
 * with one version or the other, never a mix.
 */
public final class TemplateTable implements TemplateLookup {
    private final Map<String, CompiledTemplate> inForce = new ConcurrentHashMap<>();

    @Override
    public CompiledTemplate find(String tenant, String name) {
        return inForce.get(Template.keyOf(tenant, name));
    }

    /** Templates in force, over all tenants. */
    public int size() {
        return inForce.size();
    }

    /** The version in force under {@code key} ({@code TENANT/NAME}); null for none. */
    CompiledTemplate current(String key) {
        return inForce.get(key);
    }

    void put(String key, CompiledTemplate t) {
        inForce.put(key, t);
    }

    void remove(String key) {
        inForce.remove(key);
    }
}
