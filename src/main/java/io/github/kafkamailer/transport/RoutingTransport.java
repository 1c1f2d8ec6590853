package io.github.kafkamailer.transport;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.TransportKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * Picks, for each email, the transport its tenant's config asks for: SMTP, SMTP with OAuth or Graph for
 * {@code SEND}, Graph drafts for {@code DRAFT}. A transport this build lacks fails its emails as transient, so
 * they wait rather than being lost.
 */
public final class RoutingTransport implements MailTransport {
    private final Map<TransportKind, MailTransport> senders;
    private final MailTransport drafts;

    /**
     * @param senders one transport per kind; a kind left out is reported as unavailable
     * @param drafts  the Graph drafts transport, or null when unavailable
     */
    public RoutingTransport(Map<TransportKind, MailTransport> senders, MailTransport drafts) {
        this.senders = senders.isEmpty() ? new EnumMap<>(TransportKind.class) : new EnumMap<>(senders);
        this.drafts = drafts;
    }

    @Override
    public TransportSession open(MailerConfig config) {
        return new RoutingSession(config);
    }

    private final class RoutingSession implements TransportSession {
        private final MailerConfig config;
        private volatile TransportSession sending;
        private volatile TransportSession drafting;

        RoutingSession(MailerConfig config) {
            this.config = config;
        }

        @Override
        public SendOutcome send(EmailEvent email) {
            return send(email, null);
        }

        @Override
        public SendOutcome send(EmailEvent email, java.util.List<String> onlyRecipients) {
            if (email.mode() == Mode.DRAFT) {
                if (!config.hasGraphCredentials()) {
                    return new SendOutcome.Failed(TransportKind.GRAPH, FailureClass.INVALID,
                            "a DRAFT email needs the tenant's tenantId, clientId and clientSecret (Microsoft Graph)",
                            false);
                }
                if (drafts == null) {
                    return unavailable(TransportKind.GRAPH, "Graph drafts");
                }
                if (drafting == null) {
                    drafting = drafts.open(config);
                }
                return drafting.send(email);
            }
            TransportKind kind = config.transportKind();
            MailTransport transport = senders.get(kind);
            if (transport == null) {
                return unavailable(kind, kind.name());
            }
            if (sending == null) {
                sending = transport.open(config);
            }
            return sending.send(email, onlyRecipients);
        }

        private SendOutcome unavailable(TransportKind kind, String what) {
            return new SendOutcome.Failed(kind, FailureClass.TRANSIENT,
                    "the " + what + " transport is not available in this version of the mailer", false);
        }

        @Override
        public void abort() {
            TransportSession s = sending;
            TransportSession d = drafting;
            if (s != null) {
                s.abort();
            }
            if (d != null) {
                d.abort();
            }
        }

        @Override
        public void close() {
            if (sending != null) {
                sending.close();
            }
            if (drafting != null) {
                drafting.close();
            }
        }
    }
}
