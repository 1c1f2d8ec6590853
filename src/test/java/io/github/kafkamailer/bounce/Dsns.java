package io.github.kafkamailer.bounce;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Real RFC 3464 delivery status notifications, built with Jakarta Mail and read back from their bytes. */
public final class Dsns {
    public static final Session SESSION = Session.getInstance(new Properties());

    private Dsns() {
    }

    /** The email we sent, as a returned message would carry it. */
    public static byte[] original(String messageId) {
        return ("Message-ID: " + messageId + "\r\nFrom: noreply@example.com\r\nTo: bob@example.com\r\n"
                + "Subject: Invoice\r\n\r\nHello\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The email we sent, carrying the mailer's own header naming it (as {@code X-Mailer-Email-Id: value}). */
    public static byte[] original(String messageId, String emailIdHeader) {
        return ("X-Mailer-Email-Id: " + emailIdHeader + "\r\n" + new String(original(messageId),
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    /** The machine-readable part: per-message fields, then one recipient. */
    public static String status(String recipient, String action, String status, String diagnostic) {
        return "Reporting-MTA: dns; mx.example.com\r\nArrival-Date: Sat, 5 Dec 2026 09:00:00 +0000\r\n\r\n"
                + "Final-Recipient: rfc822; " + recipient + "\r\nAction: " + action + "\r\nStatus: " + status + "\r\n"
                + (diagnostic == null ? "" : "Diagnostic-Code: smtp; " + diagnostic + "\r\n");
    }

    /**
     * A notification: {@code multipart/report; report-type=delivery-status} with a human part, the status part and
     * the returned email as {@code returnedType} ({@code message/rfc822} or {@code text/rfc822-headers}).
     */
    public static MimeMessage report(String reportId, String statusPart, String returnedType, byte[] returned)
            throws MessagingException, IOException {
        MimeMessage dsn = new MimeMessage(SESSION);
        dsn.setFrom("MAILER-DAEMON@mx.example.com");
        dsn.setRecipients(MimeMessage.RecipientType.TO, "bounces@example.com");
        dsn.setSubject("Undelivered Mail Returned to Sender");
        MimeMultipart report = new MimeMultipart("report; report-type=delivery-status");
        MimeBodyPart human = new MimeBodyPart();
        human.setText("Your message could not be delivered.");
        report.addBodyPart(human);
        report.addBodyPart(part("message/delivery-status", statusPart.getBytes(StandardCharsets.UTF_8)));
        if (returned != null) {
            report.addBodyPart(part(returnedType, returned));
        }
        dsn.setContent(report);
        dsn.saveChanges();
        if (reportId != null) {
            dsn.setHeader("Message-ID", reportId);
        }
        return reread(dsn);
    }

    public static MimeMessage plain(String subject) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom("someone@example.org");
        m.setRecipients(MimeMessage.RecipientType.TO, "bounces@example.com");
        m.setSubject(subject);
        m.setText("Not a bounce.");
        m.saveChanges();
        return reread(m);
    }

    private static MimeBodyPart part(String type, byte[] content) throws MessagingException {
        InternetHeaders h = new InternetHeaders();
        h.setHeader("Content-Type", type);
        return new MimeBodyPart(h, content);
    }

    private static MimeMessage reread(MimeMessage m) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return new MimeMessage(SESSION, new ByteArrayInputStream(out.toByteArray()));
    }
}
