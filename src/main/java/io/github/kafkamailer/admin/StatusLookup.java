package io.github.kafkamailer.admin;

import io.github.kafkamailer.model.StatusEvent;
import java.util.List;

/**
 * The latest status of one email, as the running mailer keeps it (its {@code status-latest} store, across
 * instances): one read, whatever the history on the status topic. The full history is {@link StatusAdmin}'s.
 */
@FunctionalInterface
public interface StatusLookup {
    /**
     * The latest status of email {@code id} in {@code tenantOrNull}, or of each tenant that used that id when null.
     * Never throws for a mailer that can't answer: that is {@link Unavailable}.
     */
    Answer latest(String id, String tenantOrNull);

    /** What a lookup found. */
    sealed interface Answer permits Found, NotFound, Unavailable {
    }

    /** The latest status of each tenant's email of that id (one when the tenant was given), newest first. */
    record Found(List<StatusEvent> statuses) implements Answer {
        public Found {
            statuses = List.copyOf(statuses);
        }
    }

    /** No status kept for that email: not sent yet, never published, or past its retention. */
    record NotFound() implements Answer {
    }

    /** No mailer could answer now (not running, starting, rebalancing, the owner instance down), and why. */
    record Unavailable(String reason) implements Answer {
    }
}
