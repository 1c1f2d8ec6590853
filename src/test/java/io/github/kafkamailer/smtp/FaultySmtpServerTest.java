package io.github.kafkamailer.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.angus.mail.util.MailConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault-injecting server driven by the real Angus Mail client, set up as the mailer sets it up (one reused
 * connection, {@code sendpartial}). Each test also pins down what Angus throws for that fault, which is what
 * the mailer's failure classification reads.
 */
class FaultySmtpServerTest {
    private static final String FROM = "sender@example.com";
    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FaultySmtpServer server = new FaultySmtpServer();
    private final List<SMTPTransport> transports = new ArrayList<>();
    private Session session;

    @BeforeEach
    void startServer() {
        server.start();
        session = session(new Properties());
    }

    @AfterEach
    void stopServer() {
        for (SMTPTransport t : transports) {
            try {
                t.close();
            } catch (MessagingException ignored) {
                // The test may have broken it on purpose.
            }
        }
        server.close();
    }

    @Test
    void shouldAcceptAndRecordAPlainSend() throws Exception {
        SMTPTransport t = connect();
        MimeMessage m = message("<m1@example.com>", "Hello", ALICE, BOB);
        m.setText("first line\r\n.starts with a dot\r\n..two dots\r\nlast line\r\n");

        t.sendMessage(m, m.getAllRecipients());

        assertThat(server.receivedCount()).isEqualTo(1);
        FaultySmtpServer.Received r = server.received().get(0);
        assertThat(r.sender()).isEqualTo(FROM);
        assertThat(r.recipients()).containsExactly(ALICE, BOB);
        assertThat(r.message()).contains("\r\n.starts with a dot\r\n..two dots\r\n").endsWith("last line\r\n");
        assertThat(server.messageIds()).containsExactly("<m1@example.com>");
        assertThat(server.subjects()).containsExactly("Hello");
        assertThat(server.connectionsAccepted()).isEqualTo(1);
        assertThat(t.getLastReturnCode()).isEqualTo(250);
    }

    @Test
    void shouldFailTheMessageWithTheDataReplyAndKeepTheConnection() throws Exception {
        SMTPTransport t = connect();
        server.replyToData(451);

        SMTPSendFailedException e = catchThrowableOfType(SMTPSendFailedException.class, () -> send(t, "<m1@x>", ALICE));

        assertThat(e.getReturnCode()).isEqualTo(451);
        assertThat(e.getCommand()).isEqualTo(".");
        assertThat(e.getMessage()).contains("451 4.3.0 Try again later (injected)");
        // Angus counts the accepted recipients as "valid but unsent" when DATA is refused.
        assertThat(addresses(e.getValidSentAddresses())).isEmpty();
        assertThat(addresses(e.getValidUnsentAddresses())).containsExactly(ALICE);
        assertThat(server.receivedCount()).isZero();
        assertThat(t.isConnected()).isTrue();

        server.reset();
        send(t, "<m2@x>", ALICE);
        assertThat(server.messageIds()).containsExactly("<m2@x>");
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void shouldDeliverToTheOtherRecipientWhenOneIsRefused() throws Exception {
        SMTPTransport t = connect();
        server.replyToRecipient(BOB, 550);

        SendFailedException e = catchThrowableOfType(SendFailedException.class, () -> send(t, "<m1@x>", ALICE, BOB));

        // With sendpartial the message went to the valid recipient: the exception's own code is the DATA reply.
        assertThat(e).isInstanceOf(SMTPSendFailedException.class);
        assertThat(((SMTPSendFailedException) e).getReturnCode()).isEqualTo(250);
        assertThat(addresses(e.getValidSentAddresses())).containsExactly(ALICE);
        assertThat(addresses(e.getInvalidAddresses())).containsExactly(BOB);
        assertThat(addresses(e.getValidUnsentAddresses())).isEmpty();
        assertThat(addressFailures(e)).singleElement().satisfies(a -> {
            assertThat(a.getReturnCode()).isEqualTo(550);
            assertThat(a.getAddress()).hasToString(BOB);
            assertThat(a.getCommand()).isEqualTo("RCPT TO:<" + BOB + ">");
        });
        assertThat(server.received()).singleElement()
                .satisfies(r -> assertThat(r.recipients()).containsExactly(ALICE));
        assertThat(t.isConnected()).isTrue();
    }

    @Test
    void shouldRefuseTheMessageWhenEveryRecipientIsRefusedPermanently() throws Exception {
        SMTPTransport t = connect();
        server.replyToAllRecipients(550);

        SendFailedException e = catchThrowableOfType(SendFailedException.class, () -> send(t, "<m1@x>", ALICE, BOB));

        assertThat(e).isNotInstanceOf(SMTPSendFailedException.class);
        assertThat(addresses(e.getValidSentAddresses())).isEmpty();
        assertThat(addresses(e.getInvalidAddresses())).containsExactly(ALICE, BOB);
        assertThat(addressFailures(e)).hasSize(2).allSatisfy(a -> assertThat(a.getReturnCode()).isEqualTo(550));
        assertThat(server.receivedCount()).isZero();
        assertThat(t.isConnected()).isTrue();
    }

    @Test
    void shouldListTemporarilyRefusedRecipientsAsValidButUnsent() throws Exception {
        SMTPTransport t = connect();
        server.replyToAllRecipients(450);

        SendFailedException e = catchThrowableOfType(SendFailedException.class, () -> send(t, "<m1@x>", ALICE, BOB));

        assertThat(addresses(e.getValidUnsentAddresses())).containsExactly(ALICE, BOB);
        assertThat(addresses(e.getInvalidAddresses())).isEmpty();
        assertThat(addressFailures(e)).hasSize(2).allSatisfy(a -> assertThat(a.getReturnCode()).isEqualTo(450));
        assertThat(server.receivedCount()).isZero();
    }

    @Test
    void shouldAnswer452ToRecipientsPastTheLimitOfAMessageAndTakeTheOthers() throws Exception {
        SMTPTransport t = connect();
        server.maxRecipientsPerMessage(1);

        SendFailedException e = catchThrowableOfType(SendFailedException.class, () -> send(t, "<m1@x>", ALICE, BOB));

        assertThat(addresses(e.getValidSentAddresses())).containsExactly(ALICE);
        assertThat(addresses(e.getValidUnsentAddresses())).containsExactly(BOB);
        assertThat(addressFailures(e)).singleElement().satisfies(a -> {
            assertThat(a.getReturnCode()).isEqualTo(452);
            assertThat(a.getMessage()).contains("4.5.3");
        });
        assertThat(server.received()).singleElement()
                .satisfies(r -> assertThat(r.recipients()).containsExactly(ALICE));

        send(t, "<m2@x>", BOB);
        assertThat(server.received()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {451, 550})
    void shouldReportTheSenderRefusalWithItsCode(int code) throws Exception {
        SMTPTransport t = connect();
        server.replyToMailFrom(code);

        SMTPSendFailedException e = catchThrowableOfType(SMTPSendFailedException.class, () -> send(t, "<m1@x>", ALICE));

        assertThat(e.getReturnCode()).isEqualTo(code);
        assertThat(e.getCommand()).isEqualTo("MAIL FROM:<" + FROM + ">");
        assertThat(addresses(e.getValidUnsentAddresses())).containsExactly(ALICE);
        // Angus chains an SMTPSenderFailedException for a 5xx only.
        if (code >= 500) {
            assertThat(e.getNextException()).isInstanceOfSatisfying(SMTPSenderFailedException.class, s -> {
                assertThat(s.getReturnCode()).isEqualTo(code);
                assertThat(s.getAddress()).hasToString(FROM);
            });
        } else {
            assertThat(e.getNextException()).isNull();
        }
        assertThat(server.receivedCount()).isZero();
        assertThat(t.isConnected()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3000})
    void shouldDropTheConnectionInTheMiddleOfAMessage(int bodyLines) throws Exception {
        SMTPTransport t = connect();
        server.dropConnectionMidData(true);
        MimeMessage m = message("<m1@x>", "big or small", ALICE);
        m.setText("x".repeat(70).concat("\r\n").repeat(bodyLines));

        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> t.sendMessage(m, m.getAllRecipients()));

        // A small message is all written when the server hangs up: Angus reads [EOF] for the reply to "." (an
        // SMTPSendFailedException with code -1). A big one fails while being written (a MessagingException on
        // an IOException). Either way no reply code, and the connection is gone.
        assertThat(replyCodeOf(e)).isNegative();
        assertThat(t.isConnected()).isFalse();
        assertThat(server.receivedCount()).isZero();
        await().atMost(WAIT).until(() -> server.openConnections() == 0);

        server.reset();
        send(connect(), "<m2@x>", ALICE);
        assertThat(server.messageIds()).containsExactly("<m2@x>");
    }

    @Test
    void shouldRefuseConnectionsWhileStoppedAndComeBackOnTheSamePort() throws Exception {
        int port = server.port();
        server.stop();
        server.stop(); // idempotent

        MailConnectException e = catchThrowableOfType(MailConnectException.class, this::connect);
        assertThat(e.getPort()).isEqualTo(port);
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);

        server.start();
        assertThat(server.port()).isEqualTo(port);
        send(connect(), "<m1@x>", ALICE);
        assertThat(server.messageIds()).containsExactly("<m1@x>");
    }

    @Test
    void shouldDropOpenConnectionsWhenStopped() throws Exception {
        SMTPTransport t = connect();
        send(t, "<m1@x>", ALICE);

        server.stop();

        assertThat(server.openConnections()).isZero();
        MessagingException e = catchThrowableOfType(MessagingException.class, () -> send(t, "<m2@x>", ALICE));
        assertThat(replyCodeOf(e)).isNegative();
        assertThat(t.isConnected()).isFalse();

        server.start();
        send(connect(), "<m3@x>", ALICE);
        assertThat(server.messageIds()).containsExactly("<m1@x>", "<m3@x>");
        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void shouldFailTheNextMessagesThenAcceptOverOneConnection() throws Exception {
        SMTPTransport t = connect();
        server.failNextMessages(2, 451);

        for (String id : List.of("<m1@x>", "<m2@x>")) {
            SMTPSendFailedException e = catchThrowableOfType(SMTPSendFailedException.class, () -> send(t, id, ALICE));
            assertThat(e.getReturnCode()).isEqualTo(451);
        }
        send(t, "<m3@x>", ALICE);

        assertThat(server.messageIds()).containsExactly("<m3@x>");
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void shouldCloseTheConnectionAfterA421() throws Exception {
        SMTPTransport t = connect();
        server.replyToData(421);

        SMTPSendFailedException e = catchThrowableOfType(SMTPSendFailedException.class, () -> send(t, "<m1@x>", ALICE));

        assertThat(e.getReturnCode()).isEqualTo(421);
        assertThat(t.isConnected()).isFalse();
        await().atMost(WAIT).until(() -> server.openConnections() == 0);

        server.reset();
        send(connect(), "<m2@x>", ALICE);
        assertThat(server.messageIds()).containsExactly("<m2@x>");
        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void shouldCloseTheConnectionAfterA421AtMailFrom() throws Exception {
        SMTPTransport t = connect();
        server.replyToMailFrom(421);

        SMTPSendFailedException e = catchThrowableOfType(SMTPSendFailedException.class, () -> send(t, "<m1@x>", ALICE));

        assertThat(e.getReturnCode()).isEqualTo(421);
        assertThat(e.getNextException()).isNull();
        assertThat(t.isConnected()).isFalse();
        await().atMost(WAIT).until(() -> server.openConnections() == 0);
    }

    @Test
    void shouldCloseTheConnectionAfterA421ToARecipient() throws Exception {
        SMTPTransport t = connect();
        server.replyToRecipient(BOB, 421);

        MessagingException e = catchThrowableOfType(MessagingException.class, () -> send(t, "<m1@x>", ALICE, BOB));

        // Angus takes the 421 as "valid but unsent" and goes on to DATA on the closed connection: what it throws
        // then depends on timing (mostly "Can't send command" on a broken pipe), and the 421 may be lost.
        assertThat(e).isNotNull();
        assertThat(t.isConnected()).isFalse();
        assertThat(server.receivedCount()).isZero();
        await().atMost(WAIT).until(() -> server.openConnections() == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LOGIN", "PLAIN"})
    void shouldAcceptAnyCredentialsWhenAdvertisingAuth(String mechanism) throws Exception {
        server.advertiseAuth(true);
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.auth.mechanisms", mechanism);
        SMTPTransport t = (SMTPTransport) session(p).getTransport("smtp");
        transports.add(t);

        t.connect("127.0.0.1", server.port(), "mailer", "any password");
        send(t, "<m1@x>", ALICE);

        assertThat(t.supportsExtension("AUTH")).isTrue();
        assertThat(server.authenticatedUsers()).containsExactly("mailer");
        assertThat(server.receivedCount()).isEqualTo(1);
    }

    @Test
    void shouldLetAngusSendUnauthenticatedWhenNoAuthIsAdvertised() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        SMTPTransport t = (SMTPTransport) session(p).getTransport("smtp");
        transports.add(t);

        t.connect("127.0.0.1", server.port(), "mailer", "any password");
        send(t, "<m1@x>", ALICE);

        // The trap the mailer guards against: no error, no AUTH.
        assertThat(t.supportsExtension("AUTH")).isFalse();
        assertThat(server.authenticatedUsers()).isEmpty();
        assertThat(server.receivedCount()).isEqualTo(1);
    }

    @Test
    void shouldAnswer500ToAnUnknownCommandAndOutliveAClientThatVanishes() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = raw.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write("FROB\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("500 ");
            out.write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("250 ");
            out.write("HELO me\r\nMAIL FROM:<a@b>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("250 ");
            assertThat(in.readLine()).startsWith("250 ");
            assertThat(in.readLine()).startsWith("503 ");
            out.write("MAIL FR".getBytes(StandardCharsets.US_ASCII)); // and gone, mid-command
        }
        await().atMost(WAIT).until(() -> server.openConnections() == 0);

        send(connect(), "<m1@x>", ALICE);
        assertThat(server.receivedCount()).isEqualTo(1);
        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void shouldForgetWhatItRecordedAndKeepItsSwitchesOnClear() throws Exception {
        SMTPTransport t = connect();
        send(t, "<m1@x>", ALICE);
        server.replyToData(554);

        server.clearReceived();

        assertThat(server.receivedCount()).isZero();
        assertThat(server.connectionsAccepted()).isZero();
        SMTPSendFailedException e = catchThrowableOfType(SMTPSendFailedException.class, () -> send(t, "<m2@x>", ALICE));
        assertThat(e.getReturnCode()).isEqualTo(554);
    }

    // ---- helpers ----

    private Session session(Properties extra) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.port()));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        p.put("mail.smtp.writetimeout", "5000");
        p.put("mail.smtp.sendpartial", "true");
        p.putAll(extra);
        return Session.getInstance(p);
    }

    private SMTPTransport connect() throws MessagingException {
        SMTPTransport t = (SMTPTransport) session.getTransport("smtp");
        transports.add(t);
        t.connect();
        return t;
    }

    private void send(SMTPTransport t, String messageId, String... to) throws MessagingException {
        MimeMessage m = message(messageId, "Subject of " + messageId, to);
        m.setText("Hello.\r\n");
        t.sendMessage(m, m.getAllRecipients());
    }

    private MimeMessage message(String messageId, String subject, String... to) throws MessagingException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(FROM));
        for (String address : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        m.setSubject(subject);
        return m;
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(Address::toString).toList();
    }

    /** The reply code Angus attached to the exception itself, negative when the server never answered. */
    private static int replyCodeOf(MessagingException e) {
        return e instanceof SMTPSendFailedException s ? s.getReturnCode() : -1;
    }

    private static List<SMTPAddressFailedException> addressFailures(MessagingException e) {
        List<SMTPAddressFailedException> out = new ArrayList<>();
        for (Exception x = e.getNextException(); x != null;
             x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException a) {
                out.add(a);
            }
        }
        return out;
    }
}
