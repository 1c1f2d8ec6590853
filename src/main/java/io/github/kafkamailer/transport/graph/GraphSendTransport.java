package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
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
        return GraphOutbound.session(email -> send(config, email));
    }

    private SendOutcome send(MailerConfig config, EmailEvent email) {
        String from = SenderRules.from(email, config);
        if (from == null) {
            return GraphOutbound.invalid(
                    "from: is required when forcePostmaster is false and the tenant has no postmaster");
        }
        GraphOutbound.Prepared prepared = GraphOutbound.prepare(email, from, config);
        if (prepared.invalid() != null) {
            return prepared.invalid();
        }
        if (!prepared.plan().inOneRequest()) {
            return sendThroughDraft(config, email, from, prepared);
        }
        SendMailPostRequestBody body = new SendMailPostRequestBody();
        body.setMessage(prepared.message());
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
    private SendOutcome sendThroughDraft(MailerConfig config, EmailEvent email, String from,
                                         GraphOutbound.Prepared prepared) {
        String mailbox = Addresses.bareAddress(from);
        String messageId = MessageIds.of(email.tenant(), email.id(), from);
        GraphDrafts.mark(prepared.message(), messageId);
        GraphClients.Limits limits = clients.limits();
        return GraphCall.execute(clients.client(config), limits, (graph, retry) -> {
            String id = GraphDrafts.writeOnce(clients, graph, mailbox, prepared.message(), messageId,
                    prepared.plan(), found -> !found.isDraft());
            if (id != null) {
                GraphDrafts.send(graph, limits, mailbox, id, messageId);
            }
        }, () -> new SendOutcome.Delivered(TransportKind.GRAPH, clock.instant(), List.of()));
    }
}
