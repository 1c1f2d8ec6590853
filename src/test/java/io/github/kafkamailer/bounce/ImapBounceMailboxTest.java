package io.github.kafkamailer.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ImapBounceMailbox} against GreenMail's IMAP server. */
class ImapBounceMailboxTest {
    private static final String PASSWORD = "imap-secret-42";
    private GreenMail greenMail;
    private GreenMailUser user;
    private final ImapBounceMailbox mailbox = new ImapBounceMailbox();

    @BeforeEach
    void start() {
        ServerSetup imap = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort();
        imap.setServerStartupTimeout(15_000);
        greenMail = new GreenMail(imap);
        greenMail.start();
        user = greenMail.setUser("bounces@example.com", "bounces", PASSWORD);
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    private MailerConfig config(int port, String password) {
        Map<String, Object> m = new HashMap<>();
        m.put("smtpHost", "smtp.example.com");
        m.put("postmaster", "noreply@example.com");
        m.put("bounceImapHost", "127.0.0.1");
        m.put("bounceImapPort", port);
        m.put("bounceImapUser", "bounces");
        m.put("bounceImapPassword", password);
        m.put("bounceImapSsl", false);
        return ConfigRules.parse(m);
    }

    private MailerConfig config() {
        return config(greenMail.getImap().getPort(), PASSWORD);
    }

    /** The INBOX as another client sees it: each message's subject and whether it is read. */
    private Map<String, Boolean> inbox() throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", greenMail.getImap().getPort(), "bounces", PASSWORD);
        try {
            Folder f = store.getFolder("INBOX");
            f.open(Folder.READ_ONLY);
            Map<String, Boolean> out = new HashMap<>();
            for (Message m : f.getMessages()) {
                out.put(m.getSubject(), m.isSet(Flags.Flag.SEEN));
            }
            f.close(false);
            return out;
        } finally {
            store.close();
        }
    }

    @Test
    void shouldFindAReportLeaveEverythingUnreadAndDeleteItOnlyOnceProcessed() throws Exception {
        user.deliver(Dsns.report("<dsn-1@mx.example.com>", Dsns.status("bob@example.com", "failed", "5.1.1",
                "550 5.1.1 unknown user"), "message/rfc822", Dsns.original("<inv-1@example.com>")));
        user.deliver(Dsns.plain("Out of office"));

        MailboxPoll first = mailbox.read(config(), Set.of());

        assertThat(first.found()).containsExactly(new FoundReport("<dsn-1@mx.example.com>", List.of(
                new Bounce("default", "inv-1", "bob@example.com", "5.1.1", "550 5.1.1 unknown user"))));
        assertThat(first.remaining()).containsExactly("<dsn-1@mx.example.com>");
        assertThat(first.deleted()).isZero();
        assertThat(inbox()).containsOnlyKeys("Undelivered Mail Returned to Sender", "Out of office")
                .doesNotContainValue(true);

        MailboxPoll second = mailbox.read(config(), Set.of("<dsn-1@mx.example.com>"));

        assertThat(second.found()).isEmpty();
        assertThat(second.remaining()).isEmpty();
        assertThat(second.deleted()).isEqualTo(1);
        assertThat(inbox()).containsExactly(Map.entry("Out of office", false));
    }

    @Test
    void shouldSayAMailboxIsUnreachableWithoutItsPassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        MailboxUnreachableException refused = catchThrowableOfType(MailboxUnreachableException.class,
                () -> mailbox.read(config(closed, PASSWORD), Set.of()));
        MailboxUnreachableException badLogin = catchThrowableOfType(MailboxUnreachableException.class,
                () -> mailbox.read(config(greenMail.getImap().getPort(), "wrong-" + PASSWORD), Set.of()));

        assertThat(refused).isNotNull();
        assertThat(badLogin).isNotNull();
        assertThat(refused.getMessage() + badLogin.getMessage()).doesNotContain(PASSWORD);
    }
}
