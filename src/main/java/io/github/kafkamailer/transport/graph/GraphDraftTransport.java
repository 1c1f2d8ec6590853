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
import java.time.Clock;

/**
 * {@code DRAFT} emails (Outlook (New)): {@code POST /users/{mailbox}/messages} creates the message in the Drafts
 * folder of {@link MailerConfig#draftMailbox()} ({@code outlookSender}, else the postmaster), From that mailbox,
 * Reply-To by the sending rules. Nothing is sent; Graph answers 201 with the draft.
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
            Message message;
            try {
                message = GraphMessages.build(email, mailbox, SenderRules.replyTo(email, config));
            } catch (InvalidRecordException e) {
                return invalid(e.getMessage());
            }
            String user = Addresses.bareAddress(mailbox);
            return GraphCall.execute(clients.client(config), clients.limits(),
                    (graph, retry) -> graph.users().byUserId(user).messages().post(message,
                            request -> request.options.add(retry)),
                    () -> new SendOutcome.Drafted(TransportKind.GRAPH, clock.instant()));
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
