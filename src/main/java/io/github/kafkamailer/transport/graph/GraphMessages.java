package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.FileAttachment;
import com.microsoft.graph.models.InternetMessageHeader;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Unsubscribe;
import io.github.kafkamailer.transport.smtp.EmailIdHeader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Builds the Graph message of an email event: the same content as the SMTP message, in Graph's model. */
final class GraphMessages {
    /**
     * Exchange's property for {@code List-Unsubscribe} (PidTagListUnsubscribe, 0x1045): Exchange writes it as that
     * header when it turns the message into MIME (MS-OXCMAIL 2.1.3.2.15). Graph's {@code internetMessageHeaders}
     * take only X- headers.
     */
    static final String LIST_UNSUBSCRIBE_PROPERTY = "String 0x1045";
    /**
     * {@code List-Unsubscribe-Post}, which has no property of its own: a named property of the PS_INTERNET_HEADERS
     * set, which Exchange writes as the header of that name (MS-OXCMAIL, "PS_INTERNET_HEADERS").
     */
    static final String LIST_UNSUBSCRIBE_POST_PROPERTY =
            "String {00020386-0000-0000-C000-000000000046} Name List-Unsubscribe-Post";
    private GraphMessages() {
    }

    /**
     * The message with the given From and Reply-To (chosen by {@code SenderRules}), the recipients, the subject,
     * one body (HTML when the email has both: Graph has room for one), file attachments and the extra headers.
     *
     * @throws InvalidRecordException when a header doesn't start with {@code X-}: Graph takes no other
     */
    static Message build(EmailEvent email, String from, List<String> replyTo) {
        return build(email, from, replyTo, email.attachments());
    }

    /** As {@link #build(EmailEvent, String, List)}, with only the given attachments (the others added later). */
    static Message build(EmailEvent email, String from, List<String> replyTo, List<Attachment> attachments) {
        Message m = new Message();
        m.setFrom(recipient(from));
        if (!replyTo.isEmpty()) {
            m.setReplyTo(recipients(replyTo));
        }
        m.setToRecipients(recipients(email.to()));
        m.setCcRecipients(recipients(email.cc()));
        m.setBccRecipients(recipients(email.bcc()));
        m.setSubject(email.subject());
        m.setBody(body(email));
        if (!attachments.isEmpty()) {
            List<com.microsoft.graph.models.Attachment> files = new ArrayList<>();
            for (Attachment a : attachments) {
                files.add(file(a));
            }
            m.setAttachments(files);
        }
        m.setInternetMessageHeaders(headers(email));
        if (email.unsubscribe() != null) {
            m.setSingleValueExtendedProperties(oneClickUnsubscribe(email.unsubscribe()));
        }
        return m;
    }

    /**
     * RFC 8058's pair, as the extended properties Exchange writes as those headers.
     *
     * @throws InvalidRecordException for the mailer's own link not made yet: the link is made before the transport
     */
    private static List<SingleValueLegacyExtendedProperty> oneClickUnsubscribe(Unsubscribe unsubscribe) {
        if (unsubscribe.isMailersOwn()) {
            throw new InvalidRecordException("unsubscribe", "true, but the mailer made no link for it");
        }
        SingleValueLegacyExtendedProperty link = new SingleValueLegacyExtendedProperty();
        link.setId(LIST_UNSUBSCRIBE_PROPERTY);
        link.setValue("<" + unsubscribe.url() + ">");
        SingleValueLegacyExtendedProperty post = new SingleValueLegacyExtendedProperty();
        post.setId(LIST_UNSUBSCRIBE_POST_PROPERTY);
        post.setValue("List-Unsubscribe=One-Click");
        return new ArrayList<>(List.of(link, post));
    }

    private static ItemBody body(EmailEvent email) {
        ItemBody body = new ItemBody();
        if (email.html() != null) {
            body.setContentType(BodyType.Html);
            body.setContent(email.html());
        } else {
            body.setContentType(BodyType.Text);
            body.setContent(email.text());
        }
        return body;
    }

    static FileAttachment file(Attachment a) {
        FileAttachment f = new FileAttachment();
        f.setName(a.filename());
        f.setContentType(a.contentType());
        f.setContentBytes(Base64.getMimeDecoder().decode(a.contentBase64()));
        return f;
    }

    /**
     * The event's headers, then the mailer's {@link EmailIdHeader} (an X- header, as Graph requires): the bounce
     * reader matches a returned email by it.
     */
    private static List<InternetMessageHeader> headers(EmailEvent email) {
        List<InternetMessageHeader> out = headers(email.headers());
        InternetMessageHeader id = new InternetMessageHeader();
        id.setName(EmailIdHeader.NAME);
        id.setValue(EmailIdHeader.value(email.tenant(), email.id()));
        out.add(id);
        return out;
    }

    /** In name order, so that the same event always gives the same request. */
    private static List<InternetMessageHeader> headers(Map<String, String> headers) {
        List<InternetMessageHeader> out = new ArrayList<>();
        for (Map.Entry<String, String> h : new TreeMap<>(headers).entrySet()) {
            if (!h.getKey().toLowerCase(Locale.ROOT).startsWith("x-")) {
                throw new InvalidRecordException("headers." + h.getKey(),
                        "is not an X- header: Microsoft Graph takes only custom headers starting with X-");
            }
            InternetMessageHeader header = new InternetMessageHeader();
            header.setName(h.getKey());
            header.setValue(h.getValue());
            out.add(header);
        }
        return out;
    }

    private static List<Recipient> recipients(List<String> addresses) {
        List<Recipient> out = new ArrayList<>(addresses.size());
        for (String a : addresses) {
            out.add(recipient(a));
        }
        return out;
    }

    /** {@code Name <a@b>} as Graph's address and display name; the name unquoted. */
    static Recipient recipient(String address) {
        EmailAddress e = new EmailAddress();
        e.setAddress(Addresses.bareAddress(address));
        String name = displayName(address);
        if (name != null) {
            e.setName(name);
        }
        Recipient r = new Recipient();
        r.setEmailAddress(e);
        return r;
    }

    private static String displayName(String address) {
        String a = address.trim();
        int lt = a.lastIndexOf('<');
        if (lt <= 0 || !a.endsWith(">")) {
            return null;
        }
        String name = a.substring(0, lt).trim();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return name.isEmpty() ? null : name;
    }
}
