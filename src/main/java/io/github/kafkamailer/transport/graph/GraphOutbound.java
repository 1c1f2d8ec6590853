package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.models.Message;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.SenderRules;
import io.github.kafkamailer.transport.TransportSession;
import java.util.function.Function;

/** What the Graph transports (sendMail and drafts) share: their session, and an email made into a Graph message. */
final class GraphOutbound {
    private GraphOutbound() {
    }

    /**
     * A session whose sends are {@code send}. The Graph client and its connections are shared across runs, so
     * nothing belongs to the session and closing it frees nothing.
     */
    static TransportSession session(Function<EmailEvent, SendOutcome> send) {
        return new TransportSession() {
            @Override
            public SendOutcome send(EmailEvent email) {
                return send.apply(email);
            }

            @Override
            public void close() {
            }
        };
    }

    /** An email Graph can't take as it is: never retried. */
    static SendOutcome.Failed invalid(String reason) {
        return new SendOutcome.Failed(TransportKind.GRAPH, FailureClass.INVALID, reason, false);
    }

    /** The email as a Graph message From {@code from} with its attachment plan, or why it can't be one. */
    record Prepared(GraphDrafts.Plan plan, Message message, SendOutcome.Failed invalid) {
    }

    /**
     * Plans the email's attachments ({@link GraphDrafts#plan}) and builds its message From {@code from}, Reply-To by
     * the sending rules; an email that breaks a rule on the way comes back {@link #invalid}.
     */
    static Prepared prepare(EmailEvent email, String from, MailerConfig config) {
        try {
            GraphDrafts.Plan plan = GraphDrafts.plan(email);
            return new Prepared(plan, GraphMessages.build(email, from, SenderRules.replyTo(email, config),
                    plan.inline()), null);
        } catch (InvalidRecordException e) {
            return new Prepared(null, null, invalid(e.getMessage()));
        }
    }
}
