package io.github.kafkamailer.bounce;

import io.github.kafkamailer.transport.smtp.EmailIdHeader;
import io.github.kafkamailer.transport.smtp.MessageIds;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads delivery status notifications (RFC 3464: {@code multipart/report; report-type=delivery-status}) and
 * matches them to the emails they report on, by the mailer's {@link EmailIdHeader} of the returned message or
 * headers, or else by their Message-ID ({@link MessageIds#read}: readable unless it is a hash). Anything else is not
 * a report of ours: {@link #match} says so with an empty result, and the mailbox leaves that message as it is.
 */
public final class DeliveryReports {
    private static final Pattern STATUS = Pattern.compile("\\b([45]\\.\\d{1,3}\\.\\d{1,3})\\b");
    /** A diagnostic is a server's reply line: long ones are cut, as a status event's error is for a person. */
    private static final int MAX_DIAGNOSTIC = 500;
    /** A report names a handful of recipients; a hostile one naming thousands is read only this far. */
    private static final int MAX_RECIPIENTS = 100;
    private static final int MAX_PART_BYTES = 256 * 1024;

    private DeliveryReports() {
    }

    /** One recipient as the report's machine-readable part gives it. */
    record RecipientStatus(String recipient, String status, String diagnostic) {
    }

    /**
     * What a report says: the Message-IDs it returns, and its failed or delayed recipients; last, the values of the
     * mailer's {@link EmailIdHeader} it returns.
     */
    record Report(List<String> returnedMessageIds, List<RecipientStatus> recipients, List<String> returnedEmailIds) {
    }

    /** True when the message is a delivery status notification, judged from its content type alone. */
    public static boolean isDeliveryReport(Part message) throws MessagingException {
        if (!message.isMimeType("multipart/report")) {
            return false;
        }
        String type = new ContentType(message.getContentType()).getParameter("report-type");
        return type != null && type.trim().equalsIgnoreCase("delivery-status");
    }

    /**
     * The bounces a message reports for emails of ours, each with its (tenant, id); empty when the message is no
     * delivery status notification, names no email of ours, or reports no failed or delayed recipient.
     */
    public static List<Bounce> match(Part message) throws MessagingException, IOException {
        Optional<Report> report = read(message);
        if (report.isEmpty()) {
            return List.of();
        }
        MessageIds.Origin origin = null;
        for (String value : report.get().returnedEmailIds()) {
            origin = EmailIdHeader.read(value).orElse(null);
            if (origin != null) {
                break;
            }
        }
        for (String id : origin != null ? List.<String>of() : report.get().returnedMessageIds()) {
            origin = MessageIds.read(id).orElse(null);
            if (origin != null) {
                break;
            }
        }
        if (origin == null) {
            return List.of();
        }
        List<Bounce> out = new ArrayList<>();
        for (RecipientStatus r : report.get().recipients()) {
            out.add(new Bounce(origin.tenant(), origin.emailId(), r.recipient(), r.status(), r.diagnostic()));
        }
        return out;
    }

    static Optional<Report> read(Part message) throws MessagingException, IOException {
        if (!isDeliveryReport(message) || !(message.getContent() instanceof Multipart parts)) {
            return Optional.empty();
        }
        List<String> returned = new ArrayList<>();
        List<String> emailIds = new ArrayList<>();
        List<RecipientStatus> recipients = new ArrayList<>();
        boolean hasStatus = false;
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("message/delivery-status") || part.isMimeType("message/global-delivery-status")) {
                hasStatus = true;
                recipients.addAll(recipients(text(part)));
            } else if (part.isMimeType("message/rfc822") || part.isMimeType("message/global")
                    || part.isMimeType("text/rfc822-headers") || part.isMimeType("message/global-headers")) {
                // The returned message, or just its headers: either way, the headers come first. Over IMAP a
                // returned message is best read as the nested message the server describes.
                Message nested = part.isMimeType("message/rfc822") && part.getContent() instanceof Message m ? m
                        : null;
                InternetHeaders headers = nested == null ? headers(part) : null;
                addUnfolded(returned, nested != null ? nested.getHeader("Message-ID") : headers.getHeader("Message-ID"));
                addUnfolded(emailIds, nested != null ? nested.getHeader(EmailIdHeader.NAME)
                        : headers.getHeader(EmailIdHeader.NAME));
            }
        }
        return hasStatus ? Optional.of(new Report(returned, recipients, emailIds)) : Optional.empty();
    }

    private static void addUnfolded(List<String> to, String[] values) {
        if (values != null) {
            for (String v : values) {
                to.add(MimeUtility.unfold(v).trim());
            }
        }
    }

    /** The per-recipient blocks of a message/delivery-status body, keeping the failed and delayed ones. */
    static List<RecipientStatus> recipients(String body) throws MessagingException {
        String[] blocks = body.replace("\r\n", "\n").split("\n[ \t]*\n");
        List<RecipientStatus> out = new ArrayList<>();
        // The first block holds the per-message fields; each next one is a recipient.
        for (int i = 1; i < blocks.length && out.size() < MAX_RECIPIENTS; i++) {
            if (blocks[i].isBlank()) {
                continue;
            }
            InternetHeaders h = new InternetHeaders(new ByteArrayInputStream(
                    (blocks[i].strip() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
            String recipient = address(field(h, "Final-Recipient"));
            if (recipient == null) {
                recipient = address(field(h, "Original-Recipient"));
            }
            String statusField = field(h, "Status");
            Matcher m = statusField == null ? null : STATUS.matcher(statusField);
            String action = field(h, "Action");
            if (recipient == null || m == null || !m.find()
                    || action != null && !isFailure(action.toLowerCase(Locale.ROOT))) {
                continue;
            }
            out.add(new RecipientStatus(recipient, m.group(1), diagnostic(field(h, "Diagnostic-Code"))));
        }
        return out;
    }

    private static boolean isFailure(String action) {
        return action.startsWith("failed") || action.startsWith("delayed");
    }

    private static String field(InternetHeaders h, String name) {
        String v = h.getHeader(name, " ");
        return v == null ? null : MimeUtility.unfold(v).trim();
    }

    /** {@code rfc822; bob@example.com} gives {@code bob@example.com}. */
    private static String address(String typed) {
        if (typed == null) {
            return null;
        }
        int semi = typed.indexOf(';');
        String a = (semi < 0 ? typed : typed.substring(semi + 1)).trim();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).trim();
        }
        return a.isEmpty() || a.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? null : a;
    }

    /** {@code smtp; 550 5.1.1 User unknown} gives {@code 550 5.1.1 User unknown}, on one line, cut. */
    private static String diagnostic(String typed) {
        if (typed == null) {
            return null;
        }
        int semi = typed.indexOf(';');
        String d = (semi < 0 ? typed : typed.substring(semi + 1)).replaceAll("[\\p{Cntrl}]+", " ").trim();
        if (d.isEmpty()) {
            return null;
        }
        return d.length() > MAX_DIAGNOSTIC ? d.substring(0, MAX_DIAGNOSTIC) + "..." : d;
    }

    private static String text(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readNBytes(MAX_PART_BYTES), StandardCharsets.UTF_8);
        }
    }

    private static InternetHeaders headers(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return new InternetHeaders(new ByteArrayInputStream(in.readNBytes(MAX_PART_BYTES)));
        }
    }
}
