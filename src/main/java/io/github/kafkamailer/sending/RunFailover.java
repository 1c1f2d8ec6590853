package io.github.kafkamailer.sending;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which server one sending run uses (CONTRACT.md, {@code fallbackSmtpHost}): the tenant's own (primary) until it
 * proves unusable, then, for the rest of the run, its fallback SMTP server. Decided once per run, here, and shared
 * by the run's sessions; the next run (a new {@code RunFailover}) tries the primary again.
 *
 * <p>The primary is unusable when a failure says so by its {@link io.github.kafkamailer.failure.ServerFault}
 * (connection refused or timed out, TLS or STARTTLS failing, a 4xx to the greeting, HELO or AUTH, Graph 5xx or
 * unreachable), never for a refusal of the email or a recipient. The email that met the failure goes through the
 * fallback at once: its outcome is the fallback's, and the primary's failure counts as no attempt.
 *
 * <p>A tenant without a fallback sends as before: every email through the primary, no {@code server} said. A
 * {@code DRAFT} email always goes to the primary's drafts (Graph), which a fallback SMTP server can't make.
 * Thread-safe: each lane has a {@link Session} of its own, the choice is shared.
 */
public final class RunFailover {
    private static final Logger LOG = LoggerFactory.getLogger(RunFailover.class);

    private final String tenant;
    private final MailerConfig config;
    private final MailerConfig fallback;
    private final MailTransport transport;
    private final AtomicBoolean failedOver = new AtomicBoolean();

    /** @param transport opens the primary's sessions with {@code config}, the fallback's with its fallback server */
    public RunFailover(String tenant, MailerConfig config, MailTransport transport) {
        this.tenant = tenant;
        this.config = config;
        this.fallback = config.fallbackServer();
        this.transport = transport;
    }

    /**
     * True when this outcome says the server can't be used for the run, so that a run with a fallback sends through
     * it: a failure with a {@link io.github.kafkamailer.failure.ServerFault} that fails over. A refused email or
     * recipient, a delivery (even a partial one) and a draft never are.
     */
    public static boolean primaryUnusable(SendOutcome outcome) {
        return outcome instanceof SendOutcome.Failed f && f.serverFault() != null && f.serverFault().failsOver();
    }

    /** True once this run moved to the fallback server. */
    public boolean failedOver() {
        return failedOver.get();
    }

    /** The sessions of one lane: its connection to the primary and, once needed, to the fallback. One thread. */
    public Session openSession() {
        return new Session();
    }

    /** What one email's send came to, and through which server. */
    public record Sent(SendOutcome outcome, String server, boolean startedFailover) {
    }

    /**
     * One lane's sessions: the primary's opened at once (as a lane always did, so a transport that can't open
     * fails the lane's start), the fallback's when first needed. Not thread-safe but for {@link #abort}.
     */
    public final class Session implements AutoCloseable {
        private final TransportSession primary;
        private volatile TransportSession secondary;

        private Session() {
            primary = transport.open(config);
        }

        /** Sends one email through the run's server, failing the run over when the primary proves unusable. */
        public Sent send(EmailEvent email, List<String> onlyRecipients) {
            if (fallback == null || email.mode() == Mode.DRAFT) {
                return new Sent(primary().send(email, onlyRecipients), null, false);
            }
            if (!failedOver.get()) {
                SendOutcome outcome = primary().send(email, onlyRecipients);
                if (!primaryUnusable(outcome)) {
                    return new Sent(outcome, StatusEvent.PRIMARY_SERVER, false);
                }
                boolean first = failedOver.compareAndSet(false, true);
                if (first) {
                    SendOutcome.Failed f = (SendOutcome.Failed) outcome;
                    LOG.warn("Tenant '{}': its server is unusable ({}: {}); this run sends through the fallback"
                                    + " {}:{}, the next one tries the server again", tenant, f.serverFault(),
                            f.reason(), fallback.smtpHost(), fallback.smtpPort());
                }
                return new Sent(secondary().send(email, onlyRecipients), StatusEvent.FALLBACK_SERVER, first);
            }
            return new Sent(secondary().send(email, onlyRecipients), StatusEvent.FALLBACK_SERVER, false);
        }

        private TransportSession primary() {
            return primary;
        }

        private TransportSession secondary() {
            if (secondary == null) {
                secondary = transport.open(fallback);
            }
            return secondary;
        }

        /** Ends, from another thread, an exchange that hangs past its deadline, on whichever server. */
        public void abort() {
            primary.abort();
            TransportSession s = secondary;
            if (s != null) {
                s.abort();
            }
        }

        @Override
        public void close() {
            try {
                primary.close();
            } finally {
                if (secondary != null) {
                    secondary.close();
                }
            }
        }
    }
}
