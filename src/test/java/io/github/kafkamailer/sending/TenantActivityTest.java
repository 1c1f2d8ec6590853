package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantActivityTest {
    @Test
    void shouldKeepAServersLongAnswerCutNotWhole() {
        // A 452 naming thousands of deferred recipients: kept per tenant for the console, so cut like a status.
        String answer = "452 4.5.3 Too many recipients: " + "someone@example.com, ".repeat(50_000);
        TenantActivity activity = new TenantActivity();

        activity.failed("t", answer, Instant.EPOCH);

        String kept = activity.of("t").orElseThrow().lastError();
        assertThat(kept).startsWith("452 4.5.3 Too many recipients").hasSizeLessThanOrEqualTo(2_003);
    }

    @Test
    void shouldKeepAShortReasonAsItIs() {
        TenantActivity activity = new TenantActivity();
        activity.runEnded("t", Instant.EPOCH);
        activity.failed("t", "421 try later", Instant.EPOCH.plusSeconds(1));

        assertThat(activity.of("t").orElseThrow().lastError()).isEqualTo("421 try later");
        assertThat(activity.of("t").orElseThrow().lastRunAt()).isEqualTo(Instant.EPOCH);
    }
}
