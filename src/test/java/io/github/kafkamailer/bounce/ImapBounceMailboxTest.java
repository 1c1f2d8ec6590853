package io.github.kafkamailer.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.testing.GreenMails;
import io.github.kafkamailer.testing.Ports;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        greenMail = new GreenMail(GreenMails.local(ServerSetup.PROTOCOL_IMAP));
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
        return GreenMails.imapInbox(greenMail.getImap().getPort(), "bounces", PASSWORD);
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
        int closed = Ports.closed();
        MailboxUnreachableException refused = catchThrowableOfType(MailboxUnreachableException.class,
                () -> mailbox.read(config(closed, PASSWORD), Set.of()));
        MailboxUnreachableException badLogin = catchThrowableOfType(MailboxUnreachableException.class,
                () -> mailbox.read(config(greenMail.getImap().getPort(), "wrong-" + PASSWORD), Set.of()));

        assertThat(refused).isNotNull();
        assertThat(badLogin).isNotNull();
        assertThat(refused.getMessage() + badLogin.getMessage()).doesNotContain(PASSWORD);
    }
}
