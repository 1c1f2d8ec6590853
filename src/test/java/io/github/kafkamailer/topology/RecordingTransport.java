package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A transport for topology tests: records what it is asked to send and answers what the test says. The real
 * SMTP path is covered by the integration tests against GreenMail.
 */
final class RecordingTransport implements MailTransport {
    final List<EmailEvent> sent = new ArrayList<>();
    final List<MailerConfig> sessionsOpened = new ArrayList<>();
    Function<EmailEvent, SendOutcome> answer = e -> new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());

    void failTransiently() {
        answer = e -> new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT, "451 try later", false);
    }

    void deliver() {
        answer = e -> new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
    }

    List<String> sentIds() {
        return sent.stream().map(EmailEvent::id).toList();
    }

    @Override
    public TransportSession open(MailerConfig config) {
        sessionsOpened.add(config);
        return new TransportSession() {
            @Override
            public SendOutcome send(EmailEvent email) {
                SendOutcome o = answer.apply(email);
                if (o instanceof SendOutcome.Delivered) {
                    sent.add(email);
                }
                return o;
            }

            @Override
            public void close() {
            }
        };
    }
}
