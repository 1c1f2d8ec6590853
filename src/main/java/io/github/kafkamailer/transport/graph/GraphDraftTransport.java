package io.github.kafkamailer.transport.graph;

import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
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
        return GraphOutbound.session(email -> draft(config, email));
    }

    private SendOutcome draft(MailerConfig config, EmailEvent email) {
        String mailbox = config.draftMailbox();
        if (mailbox == null) {
            return GraphOutbound.invalid("a DRAFT email needs the tenant's outlookSender (or postmaster): "
                    + "the mailbox to draft in");
        }
        GraphOutbound.Prepared prepared = GraphOutbound.prepare(email, mailbox, config);
        if (prepared.invalid() != null) {
            return prepared.invalid();
        }
        String user = Addresses.bareAddress(mailbox);
        String messageId = MessageIds.of(email.tenant(), email.id(), mailbox);
        GraphDrafts.mark(prepared.message(), messageId);
        boolean inOneRequest = prepared.plan().inOneRequest();
        // Drafted before (a retry, or a second attempt after a crash): not again, unless it may be incomplete.
        return GraphCall.execute(clients.client(config), clients.limits(),
                (graph, retry) -> GraphDrafts.writeOnce(clients, graph, user, prepared.message(), messageId,
                        prepared.plan(), found -> inOneRequest || !found.isDraft()),
                () -> new SendOutcome.Drafted(TransportKind.GRAPH, clock.instant()));
    }
}
