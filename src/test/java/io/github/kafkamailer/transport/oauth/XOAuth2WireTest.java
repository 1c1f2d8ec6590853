package io.github.kafkamailer.transport.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.smtp.SmtpTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The XOAUTH2 exchange as it goes on the wire, which GreenMail doesn't show (it takes the token over PLAIN as
 * well): one {@code AUTH XOAUTH2} with the SASL string {@code user=...^Aauth=Bearer ...^A^A} for
 * {@code smtpUser}, and never the token over another mechanism.
 */
class XOAuth2WireTest {
    private static final String MAILBOX = "mailer@contoso.example";

    private TokenStandIn tokens;
    private RecordingSmtp smtp;
    private SmtpTransport transport;

    @BeforeEach
    void setUp() throws IOException {
        tokens = new TokenStandIn();
        tokens.issues("tok-1", 3600);
        transport = new SmtpTransport(Clock.systemUTC(), Duration.ofSeconds(5),
                TokenStandIn.trustingTheTestCertificate(),
                new MsalTokenSource(Clock.systemUTC(), TokenStandIn.trustingTheTestCertificate()));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (smtp != null) {
            smtp.close();
        }
        tokens.close();
    }

    private MailerConfig config() {
        return tokens.config(Map.of("smtpPort", smtp.port()));
    }

    private static EmailEvent email(String id) {
        return EmailEvent.builder(id).from("alice@contoso.example").to("bob@example.com").subject("Wire " + id)
                .text("hi").build();
    }

    @Test
    void shouldAuthenticateWithTheXOAuth2SaslStringForTheSmtpUser() throws IOException {
        smtp = new RecordingSmtp("XOAUTH2 PLAIN LOGIN", "tok-1");
        try (TransportSession session = transport.open(config())) {
            assertThat(session.send(email("w0"))).isInstanceOf(SendOutcome.Delivered.class);
            assertThat(session.send(email("w1"))).isInstanceOf(SendOutcome.Delivered.class);
        }
        assertThat(smtp.authCommands).singleElement().satisfies(auth -> {
            assertThat(auth.mechanism()).isEqualTo("XOAUTH2");
            assertThat(auth.decoded()).isEqualTo("user=" + MAILBOX + "\u0001auth=Bearer tok-1\u0001\u0001");
        });
        assertThat(smtp.messages).isEqualTo(2);
    }

    @Test
    void shouldNotSendTheTokenOverAnotherMechanismWhenTheServerLacksXOAuth2() throws IOException {
        smtp = new RecordingSmtp("PLAIN LOGIN", "tok-1");
        try (TransportSession session = transport.open(config())) {
            assertThat(session.send(email("w2"))).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
                assertThat(f.transport()).isEqualTo(TransportKind.SMTP_OAUTH);
                assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
                assertThat(f.serverDown()).isTrue();
                assertThat(f.reason()).startsWith("authentication refused");
            });
        }
        assertThat(smtp.authCommands).isEmpty();
        assertThat(smtp.messages).isZero();
    }

    /** An AUTH command as received: the mechanism and its initial response, base64-decoded. */
    record Auth(String mechanism, String decoded) {
    }

    /**
     * Just enough SMTP for Angus Mail, one connection at a time, bound to 127.0.0.1: advertises the given AUTH
     * mechanisms, records every AUTH command, accepts an XOAUTH2 string carrying {@code acceptedToken}.
     */
    private static final class RecordingSmtp implements AutoCloseable {
        private final ServerSocket listener;
        private final String mechanisms;
        private final String acceptedToken;
        final List<Auth> authCommands = new CopyOnWriteArrayList<>();
        volatile int messages;

        RecordingSmtp(String mechanisms, String acceptedToken) throws IOException {
            this.mechanisms = mechanisms;
            this.acceptedToken = acceptedToken;
            listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "recording-smtp");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    s.setTcpNoDelay(true);
                    converse(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)),
                            s.getOutputStream());
                } catch (IOException e) {
                    // Closed listener or a client that left: the next connection starts afresh.
                }
            }
        }

        private void converse(BufferedReader in, OutputStream out) throws IOException {
            reply(out, "220 127.0.0.1 ESMTP test");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-127.0.0.1\r\n250-AUTH " + mechanisms + "\r\n250 8BITMIME");
                    case "AUTH" -> auth(line, in, out);
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 2.0.0 OK");
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // The message itself is of no interest here.
                        }
                        messages++;
                        reply(out, "250 2.0.0 queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 not implemented");
                }
            }
        }

        private void auth(String line, BufferedReader in, OutputStream out) throws IOException {
            String[] parts = line.split(" ");
            String mechanism = parts[1].toUpperCase(Locale.ROOT);
            String initial = parts.length > 2 ? parts[2] : null;
            if (initial == null) {
                reply(out, "334 ");
                initial = in.readLine();
            }
            String decoded = new String(Base64.getDecoder().decode(initial), StandardCharsets.UTF_8);
            authCommands.add(new Auth(mechanism, decoded));
            boolean ok = mechanism.equals("XOAUTH2")
                    && decoded.equals("user=" + MAILBOX + "\u0001auth=Bearer " + acceptedToken + "\u0001\u0001");
            reply(out, ok ? "235 2.7.0 Authentication successful" : "535 5.7.3 Authentication unsuccessful");
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
