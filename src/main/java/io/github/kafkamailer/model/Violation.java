package io.github.kafkamailer.model;

/** One broken rule, named by the field that breaks it, so every error message can point at what to fix. */
public record Violation(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
