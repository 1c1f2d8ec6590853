package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class ConfigOutcomesTest {
    private final ConfigOutcomes outcomes = new ConfigOutcomes(Clock.systemUTC());

    @Test
    void shouldTellTheOutcomeThatCameAfterTheNotedSequence() {
        outcomes.rejected("acme", "smtpHost: is required");
        long before = outcomes.lastSequence();
        assertThat(outcomes.after("acme", before)).as("an older outcome is not the answer").isEmpty();
        outcomes.applied("beta", null);
        assertThat(outcomes.after("acme", before)).as("another tenant's outcome is not either").isEmpty();
        outcomes.rejected("acme", "postmaster: is required");
        assertThat(outcomes.after("acme", before)).hasValueSatisfying(o -> {
            assertThat(o.state()).isEqualTo(ConfigOutcomes.State.REJECTED);
            assertThat(o.reason()).isEqualTo("postmaster: is required");
        });
    }
}
