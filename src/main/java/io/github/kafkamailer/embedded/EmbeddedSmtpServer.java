package io.github.kafkamailer.embedded;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An SMTP server in this JVM that keeps what it receives (GreenMail), for the demo: the user sees the emails
 * the mailer sends without setting up a mail server. It accepts any AUTH and keeps messages on the heap.
 */
public final class EmbeddedSmtpServer implements AutoCloseable {
    private final GreenMail greenMail;

    private EmbeddedSmtpServer(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    /** Starts on 127.0.0.1; port 0 picks a free one. */
    public static EmbeddedSmtpServer start(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        if (port == 0) {
            setup = setup.dynamicPort();
        }
        GreenMail gm = new GreenMail(setup).withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        gm.start();
        return new EmbeddedSmtpServer(gm);
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    /** Every message received so far, oldest first. */
    public List<MimeMessage> received() {
        return Arrays.asList(greenMail.getReceivedMessages());
    }

    /** One line for a person: from, to and subject. */
    public static String describe(MimeMessage m) {
        try {
            return "from " + join(m.getFrom()) + " to " + join(m.getAllRecipients()) + ": " + m.getSubject();
        } catch (MessagingException e) {
            return "(unreadable message: " + e.getMessage() + ")";
        }
    }

    private static String join(Address[] addresses) {
        return addresses == null ? "-" : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
