package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Unsubscribe;
import io.github.kafkamailer.transport.SenderRules;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Builds the MIME message of an email event under a tenant's config. */
public final class MimeMessages {
    /** The system property Jakarta Mail reads before it falls back to a {@code ServiceLoader} lookup. */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        // Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader on every body part, multipart,
        // encoded header and writeTo: a scan of META-INF/services in every jar of the class path, each time.
        // Measured on the mailer's 190 MB jar: about a fifth of its CPU, and its steady rate 916 instead of 581
        // emails/s over one connection. Naming the provider skips the scan; a value set by the user is kept.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    /** The only value of {@code List-Unsubscribe-Post} RFC 8058 defines. */
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private MimeMessages() {
    }

    /**
     * The message, with From and Reply-To by {@link SenderRules}, a Message-ID from the email's id, text and/or
     * HTML bodies (multipart/alternative when both), attachments and the event's extra headers.
     *
     * @throws InvalidRecordException when the email can't be built under this config (no sender)
     */
    public static MimeMessage build(Session session, EmailEvent email, MailerConfig config) throws MessagingException {
        String from = SenderRules.from(email, config);
        if (from == null) {
            throw new InvalidRecordException("from",
                    "is required when forcePostmaster is false and the tenant has no postmaster");
        }
        MimeMessage message = new FixedIdMimeMessage(session, MessageIds.of(email.tenant(), email.id(), from));
        message.setFrom(address(from));
        List<String> replyTo = SenderRules.replyTo(email, config);
        if (!replyTo.isEmpty()) {
            message.setReplyTo(addresses(replyTo));
        }
        message.setRecipients(Message.RecipientType.TO, addresses(email.to()));
        message.setRecipients(Message.RecipientType.CC, addresses(email.cc()));
        message.setRecipients(Message.RecipientType.BCC, addresses(email.bcc()));
        message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        for (Map.Entry<String, String> h : email.headers().entrySet()) {
            // Encoded (RFC 2047) when not ASCII, folded so that no header line passes the 998-character limit.
            String value = encoded(h.getValue());
            message.setHeader(h.getKey(), MimeUtility.fold(h.getKey().length() + 2, value));
        }
        message.setHeader(EmailIdHeader.NAME, MimeUtility.fold(EmailIdHeader.NAME.length() + 2,
                EmailIdHeader.value(email.tenant(), email.id())));
        if (email.unsubscribe() != null) {
            oneClickUnsubscribe(message, email.unsubscribe());
        }
        setContent(message, email);
        message.saveChanges();
        return message;
    }

    /**
     * RFC 8058's pair: {@code List-Unsubscribe} naming the https endpoint, and {@code List-Unsubscribe-Post} saying
     * that a POST to it unsubscribes at once.
     *
     * @throws InvalidRecordException for the mailer's own link not made yet: the link is made before the transport
     */
    private static void oneClickUnsubscribe(MimeMessage message, Unsubscribe unsubscribe) throws MessagingException {
        if (unsubscribe.isMailersOwn()) {
            throw new InvalidRecordException("unsubscribe", "true, but the mailer made no link for it");
        }
        message.setHeader(LIST_UNSUBSCRIBE, "<" + unsubscribe.url() + ">");
        message.setHeader(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
    }

    private static void setContent(MimeMessage message, EmailEvent email) throws MessagingException {
        if (email.attachments().isEmpty() && (email.text() == null || email.html() == null)) {
            if (email.html() != null) {
                message.setText(email.html(), "UTF-8", "html");
            } else {
                message.setText(email.text(), "UTF-8", "plain");
            }
            return;
        }
        MimeMultipart body = bodies(email);
        if (email.attachments().isEmpty()) {
            message.setContent(body);
            return;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart bodyPart = new MimeBodyPart();
        bodyPart.setContent(body);
        mixed.addBodyPart(bodyPart);
        for (Attachment a : email.attachments()) {
            MimeBodyPart part = new MimeBodyPart();
            byte[] bytes = Base64.getMimeDecoder().decode(a.contentBase64());
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, a.contentType())));
            part.setFileName(a.filename());
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            mixed.addBodyPart(part);
        }
        message.setContent(mixed);
    }

    private static MimeMultipart bodies(EmailEvent email) throws MessagingException {
        MimeMultipart alternative = new MimeMultipart("alternative");
        if (email.text() != null) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.text(), "UTF-8", "plain");
            alternative.addBodyPart(text);
        }
        if (email.html() != null) {
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.html(), "UTF-8", "html");
            alternative.addBodyPart(html);
        }
        return alternative;
    }

    private static InternetAddress address(String a) throws MessagingException {
        InternetAddress parsed = new InternetAddress(a, true);
        if (parsed.getPersonal() != null) {
            try {
                // Re-set so that a non-ASCII display name is encoded (RFC 2047) rather than sent as raw bytes.
                parsed.setPersonal(parsed.getPersonal(), "UTF-8");
            } catch (java.io.UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is always supported", e);
            }
        }
        return parsed;
    }

    private static String encoded(String headerValue) {
        try {
            return MimeUtility.encodeText(headerValue, "UTF-8", null);
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    private static InternetAddress[] addresses(List<String> list) throws MessagingException {
        InternetAddress[] out = new InternetAddress[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = address(list.get(i));
        }
        return out;
    }

    /** Angus replaces the Message-ID on every save; this keeps the one derived from the email's id. */
    private static final class FixedIdMimeMessage extends MimeMessage {
        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
