package io.github.kafkamailer.testing;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A transport for failover tests: each session answers as the test says for its config's {@code smtpHost} (the
 * primary or the fallback server), and every session opened and send asked for is recorded. Thread-safe.
 */
public final class TransportByHost implements MailTransport {
    /** What a send to each host comes to; a host without an answer fails the test with a NullPointerException. */
    public final Map<String, Function<EmailEvent, SendOutcome>> answers = new ConcurrentHashMap<>();
    /** Each send asked for, as {@code host:emailId}, in order. */
    public final List<String> sends = new CopyOnWriteArrayList<>();
    /** The config of each session opened, in order. */
    public final List<MailerConfig> opened = new CopyOnWriteArrayList<>();

    @Override
    public TransportSession open(MailerConfig config) {
        opened.add(config);
        return new TransportSession() {
            @Override
            public SendOutcome send(EmailEvent email) {
                sends.add(config.smtpHost() + ":" + email.id());
                return answers.get(config.smtpHost()).apply(email);
            }

            @Override
            public void close() {
            }
        };
    }
}
