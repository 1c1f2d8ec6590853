package io.github.kafkamailer.testing;

import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import io.github.kafkamailer.transport.smtp.SmtpTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Our fault-injecting SMTP server for one test, with a real {@link SmtpTransport} (5 s timeouts, the JVM's TLS) and
 * configs that send to it. Register it as an instance field ({@code @RegisterExtension}): the server starts before
 * each test on a free port and stops after it; {@link #server()} is usable (not yet started) from construction on.
 */
public final class FaultySmtpFixture implements BeforeEachCallback, AfterEachCallback {
    private final FaultySmtpServer server = new FaultySmtpServer();
    private final SmtpTransport transport = new SmtpTransport(Clock.systemUTC(), Duration.ofSeconds(5),
            (SSLSocketFactory) SSLSocketFactory.getDefault());

    @Override
    public void beforeEach(ExtensionContext context) {
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }

    /** The server, to set its faults and read what it received. */
    public FaultySmtpServer server() {
        return server;
    }

    /** The transport whose sessions the test opens. */
    public SmtpTransport transport() {
        return transport;
    }

    /** A valid config sending through this server, with {@code extra} fields on top. */
    public MailerConfig config(Map<String, Object> extra) {
        return config(server.port(), extra);
    }

    /** A valid config sending through 127.0.0.1:{@code port}, with {@code extra} fields on top. */
    public static MailerConfig config(int port, Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(Map.of("smtpHost", "127.0.0.1", "smtpPort", port,
                "postmaster", "noreply@example.com"));
        m.putAll(extra);
        return ConfigRules.parse(m);
    }
}
