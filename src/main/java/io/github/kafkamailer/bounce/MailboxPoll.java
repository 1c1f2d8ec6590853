package io.github.kafkamailer.bounce;

import java.util.List;
import java.util.Set;

/**
 * What one read of a bounce mailbox found.
 *
 * @param found     the notifications matched to emails of ours and not yet processed
 * @param remaining the ids of every delivery status notification still in the mailbox after the read (found or
 *                  not); a processed id missing from them has left the mailbox and need not be remembered
 * @param deleted   how many processed notifications this read deleted
 */
public record MailboxPoll(List<FoundReport> found, Set<String> remaining, int deleted) {
    public MailboxPoll {
        found = List.copyOf(found);
        remaining = Set.copyOf(remaining);
    }
}
