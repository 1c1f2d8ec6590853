package io.github.kafkamailer.cli;

import io.github.kafkamailer.model.Status;
import java.util.Set;

/**
 * The exit status of a command that waited for an email's final status ({@code send --wait},
 * {@code status --follow}): 0 when the email ended well, 1 otherwise. {@code SUPPRESSED} ends well: every recipient
 * was suppressed, nothing had to be sent, and that is not a failure (CONTRACT.md, "Suppression record").
 */
final class WaitExit {
    /** The final statuses that are no failure. */
    static final Set<Status> SUCCESS = Set.of(Status.SENT, Status.DRAFTED, Status.SUPPRESSED);

    private WaitExit() {
    }

    /** True when {@code status} ends the email's sending without a failure. */
    static boolean succeeded(Status status) {
        return SUCCESS.contains(status);
    }

    /** 0 when {@code status} ended well, else {@link MailerCli#FAILED}. */
    static int of(Status status) {
        return succeeded(status) ? 0 : MailerCli.FAILED;
    }
}
