package io.github.kafkamailer.console;

import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.topology.TopicNames;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * What the admin console needs from the process that serves it.
 *
 * @param password         the admin password; the console exists only when there is one
 * @param sessionIdle      a session ends after this long without a request
 * @param kafkaClientProps {@code bootstrap.servers} and any client property (security, ...)
 * @param secrets          resolves {@code ${env:}} and {@code ${file:}} references for the Test button, as the
 *                         mailer does
 * @param tokens           Microsoft identity tokens for the Test button
 * @param tls              the TLS sockets the Test button connects with (the mailer's trust)
 */
public record ConsoleSettings(String password, Duration sessionIdle, Properties kafkaClientProps, TopicNames topics,
                              Clock clock, SecretReferences.Resolver secrets, TokenSource tokens, SSLSocketFactory tls) {
    /** A session lasts at most this long after sign-in, however active. */
    public static final Duration SESSION_ABSOLUTE = Duration.ofHours(8);
    /** The longest a console request waits for Kafka. */
    public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);
    /** The longest each step of the Test button waits for the mail server or Microsoft identity. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    public ConsoleSettings {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the console needs a non-empty admin password");
        }
    }

    @Override
    public String toString() {
        return "ConsoleSettings[topics=" + topics + ", sessionIdle=" + sessionIdle + "]";
    }
}
