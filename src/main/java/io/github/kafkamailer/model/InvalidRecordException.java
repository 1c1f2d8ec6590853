package io.github.kafkamailer.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A record (email event or config) that breaks the contract. It carries every violation at once, so that
 * an admin fixing a config record sees all the bad fields in one go rather than one per attempt.
 */
public final class InvalidRecordException extends RuntimeException {
    private final List<Violation> violations;

    public InvalidRecordException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    public InvalidRecordException(String field, String reason) {
        this(List.of(new Violation(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
