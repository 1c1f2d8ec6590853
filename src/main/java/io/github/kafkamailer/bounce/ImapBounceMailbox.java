package io.github.kafkamailer.bounce;

import io.github.kafkamailer.model.ImapMailbox;
import io.github.kafkamailer.model.MailerConfig;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * A bounce mailbox read over IMAP with Angus Mail: the INBOX, opened read-write. Bodies are fetched with
 * {@code BODY.PEEK} ({@code mail.imap.peek}), so reading never marks a message read; only processed delivery status
 * notifications are flagged deleted and expunged. Each read opens and closes its own connection.
 */
public final class ImapBounceMailbox implements BounceMailbox {
    private static final int TIMEOUT_MS = 30_000;
    /** A read looks at this many messages at most, the newest; the rest wait for the next reads. */
    private static final int MAX_MESSAGES = 500;

    @Override
    public MailboxPoll read(MailerConfig config, Set<String> processed) throws MailboxUnreachableException {
        ImapMailbox mailbox = config.bounceMailbox();
        String protocol = mailbox.ssl() ? "imaps" : "imap";
        Session session = Session.getInstance(properties(mailbox, protocol));
        Store store = null;
        Folder inbox = null;
        try {
            store = session.getStore(protocol);
            store.connect(mailbox.host(), mailbox.port(), mailbox.user(), mailbox.password().reveal());
            inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            MailboxPoll poll = read(inbox, processed);
            inbox.close(true);
            inbox = null;
            return poll;
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new MailboxUnreachableException(describe(e));
        } finally {
            closeQuietly(inbox, store);
        }
    }

    private static MailboxPoll read(Folder inbox, Set<String> processed) throws MessagingException, IOException {
        int count = inbox.getMessageCount();
        Message[] messages = count == 0 ? new Message[0] : inbox.getMessages(Math.max(1, count - MAX_MESSAGES + 1), count);
        FetchProfile profile = new FetchProfile();
        profile.add(FetchProfile.Item.CONTENT_INFO);
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add("Message-ID");
        inbox.fetch(messages, profile);
        List<FoundReport> found = new ArrayList<>();
        Set<String> remaining = new HashSet<>();
        int deleted = 0;
        for (Message m : messages) {
            if (m.isExpunged() || m.isSet(Flags.Flag.DELETED) || !DeliveryReports.isDeliveryReport(m)) {
                continue;
            }
            String id = reportId(inbox, m);
            if (processed.contains(id)) {
                m.setFlag(Flags.Flag.DELETED, true);
                deleted++;
                continue;
            }
            remaining.add(id);
            List<Bounce> bounces = DeliveryReports.match(m);
            if (!bounces.isEmpty()) {
                found.add(new FoundReport(id, bounces));
            }
        }
        return new MailboxPoll(found, remaining, deleted);
    }

    /** The notification's Message-ID, or else its UID in this mailbox (with the mailbox's UIDVALIDITY). */
    private static String reportId(Folder inbox, Message m) throws MessagingException {
        String id = m instanceof MimeMessage mime ? mime.getMessageID() : null;
        if (id != null && !id.isBlank()) {
            return id.trim();
        }
        UIDFolder uids = (UIDFolder) inbox;
        return "uid:" + uids.getUIDValidity() + ":" + uids.getUID(m);
    }

    private static Properties properties(ImapMailbox mailbox, String protocol) {
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        p.put(prefix + "connectiontimeout", String.valueOf(TIMEOUT_MS));
        p.put(prefix + "timeout", String.valueOf(TIMEOUT_MS));
        p.put(prefix + "writetimeout", String.valueOf(TIMEOUT_MS));
        p.put(prefix + "peek", "true");
        if (mailbox.ssl()) {
            p.put(prefix + "ssl.checkserveridentity", "true");
        } else if (mailbox.startTls()) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        return p;
    }

    /** The failure's type and message: the server's words and our own, never the password. */
    private static String describe(Exception e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        text = text.replaceAll("[\\p{Cntrl}]+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static void closeQuietly(Folder inbox, Store store) {
        try {
            if (inbox != null && inbox.isOpen()) {
                inbox.close(false);
            }
        } catch (MessagingException | RuntimeException ignored) {
            // The connection is closed below either way.
        }
        try {
            if (store != null) {
                store.close();
            }
        } catch (MessagingException | RuntimeException ignored) {
            // Nothing to keep.
        }
    }
}
