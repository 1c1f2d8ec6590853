package io.github.kafkamailer.testing;

import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** GreenMail set-ups and reads shared by the tests that run it. */
public final class GreenMails {
    private GreenMails() {
    }

    /** A GreenMail server of {@code protocol} on 127.0.0.1, a free port, with a start-up time a loaded machine needs. */
    public static ServerSetup local(String protocol) {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", protocol).dynamicPort();
        setup.setServerStartupTimeout(15_000);
        return setup;
    }

    /**
     * An IMAP INBOX on 127.0.0.1 as another client sees it, read-only: each message's subject and whether it was
     * read ({@code \Seen}).
     */
    public static Map<String, Boolean> imapInbox(int port, String user, String password) throws MessagingException {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", port, user, password);
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
}
