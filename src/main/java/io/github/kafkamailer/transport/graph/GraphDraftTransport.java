package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.models.Message;
import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.SenderRules;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.smtp.MessageIds;
import java.time.Clock;

/**
 * {@code DRAFT} emails (Outlook (New)): {@code POST /users/{mailbox}/messages} creates the message in the Drafts
 * folder of {@link MailerConfig#draftMailbox()} ({@code outlookSender}, else the postmaster), From that mailbox,
 * Reply-To by the sending rules. Nothing is sent; Graph answers 201 with the draft.
 *
 * <p>One draft per email: the draft carries the email's Message-ID, looked for before creating one (see
 * {@link GraphDrafts}). Attachments too large for one request are added after, through upload sessions.
 */
public final class GraphDraftTransport implements MailTransport {
    private final GraphClients clients;
    private final Clock clock;

    public GraphDraftTransport(GraphClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public TransportSession open(MailerConfig config) {
        return new Session(config);
    }

    private final class Session implements TransportSession {
        private final MailerConfig config;

        Session(MailerConfig config) {
            this.config = config;
        }

        @Override
        public SendOutcome send(EmailEvent email) {
            String mailbox = config.draftMailbox();
            if (mailbox == null) {
                return invalid("a DRAFT email needs the tenant's outlookSender (or postmaster): "
                        + "the mailbox to draft in");
            }
            GraphDrafts.Plan plan;
            Message message;
            try {
                plan = GraphDrafts.plan(email);
                message = GraphMessages.build(email, mailbox, SenderRules.replyTo(email, config), plan.inline());
            } catch (InvalidRecordException e) {
                return invalid(e.getMessage());
            }
            String user = Addresses.bareAddress(mailbox);
            String messageId = MessageIds.of(email.tenant(), email.id(), mailbox);
            GraphDrafts.mark(message, messageId);
            GraphClients.Limits limits = clients.limits();
            return GraphCall.execute(clients.client(config), limits, (graph, retry) -> {
                GraphDrafts.Found found = GraphDrafts.find(graph, limits, user, messageId);
                if (found != null && (plan.inOneRequest() || !found.isDraft())) {
                    return; // drafted before (a retry, or a second attempt after a crash): not again
                }
                if (found != null) {
                    // Its attachments may be incomplete (a crash while adding them): made again whole.
                    GraphDrafts.delete(graph, limits, user, found.id());
                }
                String id = GraphDrafts.create(graph, limits, user, message, messageId);
                GraphDrafts.addAttachmentsOrDiscard(clients, graph, user, id, plan);
            }, () -> new SendOutcome.Drafted(TransportKind.GRAPH, clock.instant()));
        }

        private SendOutcome invalid(String reason) {
            return new SendOutcome.Failed(TransportKind.GRAPH, FailureClass.INVALID, reason, false);
        }

        @Override
        public void close() {
            // The client and its connections are shared across runs; nothing belongs to the session.
        }
    }
}
