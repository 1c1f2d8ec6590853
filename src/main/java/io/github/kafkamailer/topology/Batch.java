package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The emails of one tenant handed to a sender thread: sent one after the other over one session, off the
 * stream thread, so a slow or unreachable server never holds Kafka's poll loop. It touches no store: its
 * outcomes go back to the stream thread, which records them.
 */
final class Batch {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Batch.class);

    /** One email of the batch: its store key, what the store holds, and the parsed event. */
    record Item(String key, PendingEmail pending, EmailEvent email) {
    }

    /** An item and what happened to it; {@code outcome} is null when it was not attempted. */
    record Sent(Item item, SendOutcome outcome) {
    }

    record Result(String tenant, MailerConfig config, List<Sent> sent, Duration took) {
        boolean serverDown() {
            return sent.stream().anyMatch(s -> s.outcome() instanceof SendOutcome.Failed f && f.serverDown());
        }
    }

    private Batch() {
    }

    /**
     * Sends the items in order over the run's session (one connection for the whole run, batch after batch);
     * once the server proves unusable, the rest are left unattempted.
     */
    static Result send(String tenant, MailerConfig config, List<Item> items, TransportSession session, Clock clock) {
        Instant start = clock.instant();
        List<Sent> out = new ArrayList<>(items.size());
        boolean down = false;
        try {
            for (Item item : items) {
                if (down) {
                    out.add(new Sent(item, null));
                    continue;
                }
                SendOutcome outcome = session.send(item.email());
                out.add(new Sent(item, outcome));
                down = outcome instanceof SendOutcome.Failed f && f.serverDown();
            }
        } catch (RuntimeException e) {
            // A transport bug must not lose the batch: whatever was not recorded stays pending.
            LOG.error("Tenant '{}': the transport failed unexpectedly; the batch's unsent emails stay pending", tenant, e);
            for (int i = out.size(); i < items.size(); i++) {
                out.add(new Sent(items.get(i), null));
            }
        }
        return new Result(tenant, config, out, Duration.between(start, clock.instant()));
    }
}
