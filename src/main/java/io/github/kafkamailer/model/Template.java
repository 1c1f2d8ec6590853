package io.github.kafkamailer.model;

/**
 * A tenant's template as an admin publishes it on {@code mail.templates} (CONTRACT.md, "Template record"): Mustache
 * sources for the subject and at least one of the bodies. Parsing and the record's rules live in
 * {@code json.TemplateJson}; whether the sources compile, in {@code template.TemplateCompiler}.
 *
 * @param text the plain-text body's source; null for none
 * @param html the HTML body's source; null for none
 */
public record Template(String tenant, String name, String subject, String text, String html) {

    /** The record key: {@code TENANT/NAME}. */
    public String key() {
        return keyOf(tenant, name);
    }

    public static String keyOf(String tenant, String name) {
        return tenant + "/" + name;
    }
}
