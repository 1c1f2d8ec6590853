package io.github.kafkamailer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * How a hand-written service turns an email event into a MIME message with Angus Mail: the postmaster as From,
 * the event's replyTo as Reply-To, text and HTML as multipart/alternative, the extra headers as they are. The
 * reference contenders (LIMIT, NAIVE) share it, so they build the same message the mailer builds.
 */
final class PlainMessages {
    private PlainMessages() {
    }

    static MimeMessage build(Session session, JsonNode e, String postmaster) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(postmaster));
        m.setReplyTo(addresses(e.path("replyTo")));
        m.setRecipients(Message.RecipientType.TO, addresses(e.path("to")));
        if (e.path("cc").size() > 0) {
            m.setRecipients(Message.RecipientType.CC, addresses(e.path("cc")));
        }
        if (e.path("bcc").size() > 0) {
            m.setRecipients(Message.RecipientType.BCC, addresses(e.path("bcc")));
        }
        m.setSubject(e.path("subject").asText(), "UTF-8");
        m.setSentDate(new Date());
        for (Map.Entry<String, JsonNode> h : e.path("headers").properties()) {
            m.setHeader(h.getKey(), h.getValue().asText());
        }
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(e.path("text").asText(), "UTF-8", "plain");
        alternative.addBodyPart(text);
        MimeBodyPart html = new MimeBodyPart();
        html.setText(e.path("html").asText(), "UTF-8", "html");
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    private static InternetAddress[] addresses(JsonNode list) throws MessagingException {
        List<InternetAddress> out = new ArrayList<>();
        for (JsonNode a : list) {
            out.add(new InternetAddress(a.asText()));
        }
        return out.toArray(new InternetAddress[0]);
    }
}
