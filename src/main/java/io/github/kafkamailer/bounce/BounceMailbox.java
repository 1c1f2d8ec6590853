package io.github.kafkamailer.bounce;

import io.github.kafkamailer.model.MailerConfig;
import java.util.Set;

/**
 * A tenant's bounce mailbox (CONTRACT.md, "Bounces"). One read deletes the notifications already processed, and
 * returns the others that match emails of ours; it never marks a message read. Called off the stream threads;
 * an implementation may block (network), but must give up within its timeouts.
 */
public interface BounceMailbox {
    /**
     * Reads the mailbox that {@code config}'s {@code bounceImap*} fields name.
     *
     * @param processed ids of notifications already processed (their statuses and suppressions written): deleted
     *                  from the mailbox by this read, never returned again
     * @throws MailboxUnreachableException when the mailbox can't be read (its message holds no secret)
     */
    MailboxPoll read(MailerConfig config, Set<String> processed) throws MailboxUnreachableException;
}
