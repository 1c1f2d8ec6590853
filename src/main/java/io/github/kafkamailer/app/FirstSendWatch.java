package io.github.kafkamailer.app;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.util.List;

/**
 * The transport the app was given, telling {@link StartPhases} when its first email came back from a server: the
 * end of the start-up as a user sees it. Past the first, one volatile read per email.
 */
final class FirstSendWatch implements MailTransport {
    private final MailTransport delegate;
    private final StartPhases phases;

    FirstSendWatch(MailTransport delegate, StartPhases phases) {
        this.delegate = delegate;
        this.phases = phases;
    }

    @Override
    public TransportSession open(MailerConfig config) {
        TransportSession session = delegate.open(config);
        return new TransportSession() {
            @Override
            public SendOutcome send(EmailEvent email) {
                return seen(session.send(email));
            }

            @Override
            public SendOutcome send(EmailEvent email, List<String> onlyRecipients) {
                return seen(session.send(email, onlyRecipients));
            }

            @Override
            public void abort() {
                session.abort();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    private SendOutcome seen(SendOutcome outcome) {
        if (!phases.firstSendSeen()) {
            phases.firstSendDone();
        }
        return outcome;
    }
}
