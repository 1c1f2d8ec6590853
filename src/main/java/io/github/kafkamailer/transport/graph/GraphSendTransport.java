package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.models.Message;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
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
import java.util.List;

/**
 * Sending through Microsoft Graph ({@code useGraphApi}): {@code POST /users/{sender}/sendMail}, the sender's
 * mailbox being the From address chosen by {@link SenderRules}, a copy kept in its Sent Items. Graph answers
 * 202 once it accepted the email.
 *
 * <p>An email that one request can't carry (Graph takes 4 MB per request, and wants an attachment of 3 MB or
 * more uploaded in chunks) is sent through a draft instead: see {@link GraphDrafts}.
 */
public final class GraphSendTransport implements MailTransport {
    private final GraphClients clients;
    private final Clock clock;

    public GraphSendTransport(GraphClients clients, Clock clock) {
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
            String from = SenderRules.from(email, config);
            if (from == null) {
                return invalid("from: is required when forcePostmaster is false and the tenant has no postmaster");
            }
            GraphDrafts.Plan plan;
            Message message;
            try {
                plan = GraphDrafts.plan(email);
                message = GraphMessages.build(email, from, SenderRules.replyTo(email, config), plan.inline());
            } catch (InvalidRecordException e) {
                return invalid(e.getMessage());
            }
            if (!plan.inOneRequest()) {
                return sendThroughDraft(email, from, message, plan);
            }
            SendMailPostRequestBody body = new SendMailPostRequestBody();
            body.setMessage(message);
            body.setSaveToSentItems(true);
            String mailbox = Addresses.bareAddress(from);
            return GraphCall.execute(clients.client(config), clients.limits(),
                    (graph, retry) -> graph.users().byUserId(mailbox).sendMail().post(body,
                            request -> request.options.add(retry)),
                    () -> new SendOutcome.Delivered(TransportKind.GRAPH, clock.instant(), List.of()));
        }

        /**
         * Too large for sendMail: a draft in the sender's mailbox (marked, looked for first, as drafts are), its
         * other attachments added (large ones through upload sessions), then {@code POST .../send}. A message
         * found already sent (a second attempt after a crash) is not sent again.
         */
        private SendOutcome sendThroughDraft(EmailEvent email, String from, Message message, GraphDrafts.Plan plan) {
            String mailbox = Addresses.bareAddress(from);
            String messageId = MessageIds.of(email.tenant(), email.id(), from);
            GraphDrafts.mark(message, messageId);
            GraphClients.Limits limits = clients.limits();
            return GraphCall.execute(clients.client(config), limits, (graph, retry) -> {
                GraphDrafts.Found found = GraphDrafts.find(graph, limits, mailbox, messageId);
                if (found != null && !found.isDraft()) {
                    return; // sent before
                }
                if (found != null) {
                    GraphDrafts.delete(graph, limits, mailbox, found.id());
                }
                String id = GraphDrafts.create(graph, limits, mailbox, message, messageId);
                GraphDrafts.addAttachmentsOrDiscard(clients, graph, mailbox, id, plan);
                GraphDrafts.send(graph, limits, mailbox, id, messageId);
            }, () -> new SendOutcome.Delivered(TransportKind.GRAPH, clock.instant(), List.of()));
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
