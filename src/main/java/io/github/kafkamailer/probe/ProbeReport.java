package io.github.kafkamailer.probe;

import java.util.List;
import java.util.Optional;

/** The steps of a config test in the order they ran; it stops at the first failing step. */
public record ProbeReport(List<ProbeStep> steps) {
    public ProbeReport {
        steps = List.copyOf(steps);
    }

    /** True when every step worked. */
    public boolean ok() {
        return steps.stream().allMatch(ProbeStep::ok);
    }

    /** The step that failed, if one did. */
    public Optional<ProbeStep> failed() {
        return steps.stream().filter(s -> !s.ok()).findFirst();
    }
}
