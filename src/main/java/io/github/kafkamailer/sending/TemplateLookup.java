package io.github.kafkamailer.sending;

import io.github.kafkamailer.template.CompiledTemplate;

/**
 * The templates in force, compiled, as the sender lanes see them when an email is sent (CONTRACT.md, "Template
 * record"). Filled by whoever reads the templates topic; the lanes know nothing of where they come from.
 *
 * <p>Thread-safe and cheap: called once per templated email, from any sender lane, while the table changes under
 * it. It never compiles: the version it returns was compiled when it arrived.
 */
public interface TemplateLookup {
    /** Knows no template: every templated email waits (a transient failure) until one arrives. */
    TemplateLookup NONE = (tenant, name) -> null;

    /** The version of {@code tenant}'s template {@code name} in force now; null when there is none. */
    CompiledTemplate find(String tenant, String name);
}
