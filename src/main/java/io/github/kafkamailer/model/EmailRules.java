package io.github.kafkamailer.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place where an email event is checked against CONTRACT.md ("Email event"). It turns a decoded JSON
 * object into an {@link EmailEvent} or throws {@link InvalidRecordException} naming every bad field.
 */
public final class EmailRules {
    /** A subject longer than this cannot be a subject: RFC 5322 limits a line to 998 characters. */
    public static final int MAX_SUBJECT_LENGTH = 998;
    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_TENANT_LENGTH = 128;

    private static final Set<String> KNOWN_FIELDS = Set.of("id", "tenant", "from", "to", "cc", "bcc", "replyTo",
            "subject", "text", "html", "attachments", "headers", "mode", "createdAt", "unsubscribe",
            "priority", "template", "data");

    /** Headers the mailer sets itself; an event may not override them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("from", "to", "cc", "bcc", "reply-to", "subject",
            "message-id", "date", "sender", "mime-version", "content-type", "content-transfer-encoding",
            // A producer must not ask for read receipts in the sender's name, turn the body into an attachment, or
            // make the email pass for a resent one (Resent-From, Resent-To... RFC 5322 3.6.6).
            "disposition-notification-to", "content-disposition",
            // Names the email to the bounce reader: a producer must not make a bounce count against another email.
            "x-mailer-email-id");
    private static final String RESERVED_PREFIX = "resent-";
    /** The mailer's header naming the email's tenant and id on every email it sends (README, "Bounces"). */
    public static final String EMAIL_ID_HEADER = "X-Mailer-Email-Id";
    /** Set by the mailer when the event has {@code unsubscribe} (RFC 8058); an extra header may not say otherwise. */
    private static final Set<String> UNSUBSCRIBE_HEADERS = Set.of("list-unsubscribe", "list-unsubscribe-post");
    /**
     * The longest {@code unsubscribe.url}: its header line, {@code List-Unsubscribe: <url>}, can't be folded (a URL
     * has no spaces) and must stay within RFC 5322's 998 characters.
     */
    public static final int MAX_UNSUBSCRIBE_URL_LENGTH = 900;

    private EmailRules() {
    }

    public static EmailEvent parse(Map<String, ?> raw) {
        Reader r = new Reader(raw);
        for (String name : raw.keySet()) {
            if (!KNOWN_FIELDS.contains(name)) {
                r.fail(name, "unknown field");
            }
        }
        String id = r.string("id", true);
        if (id != null) {
            if (id.isBlank()) {
                r.fail("id", "must not be blank");
            } else if (id.length() > MAX_ID_LENGTH) {
                r.fail("id", "is longer than " + MAX_ID_LENGTH + " characters");
            } else if (hasControl(id)) {
                r.fail("id", "must not contain control characters");
            }
        }
        String tenant = r.string("tenant", false);
        if (tenant != null && (tenant.length() > MAX_TENANT_LENGTH || hasControl(tenant) || tenant.isBlank())) {
            r.fail("tenant", "must be 1 to " + MAX_TENANT_LENGTH + " printable characters");
        }
        String from = r.address("from");
        List<String> to = r.addresses("to");
        List<String> cc = r.addresses("cc");
        List<String> bcc = r.addresses("bcc");
        List<String> replyTo = r.addresses("replyTo");
        if (to.size() + cc.size() + bcc.size() == 0 && !r.failed("to") && !r.failed("cc") && !r.failed("bcc")) {
            r.fail("to", "at least one recipient is required in to, cc or bcc");
        }
        String template = r.template();
        Map<String, Object> data = r.data(template != null);
        String subject = r.string("subject", template == null);
        if (template != null) {
            for (String content : new String[] {"subject", "text", "html"}) {
                if (raw.get(content) != null) {
                    r.fail(content, "must not be given with template (the template gives subject, text and html)");
                }
            }
        } else if (subject != null) {
            if (subject.length() > MAX_SUBJECT_LENGTH) {
                r.fail("subject", "is " + subject.length() + " characters long, at most " + MAX_SUBJECT_LENGTH);
            } else if (hasControl(subject)) {
                r.fail("subject", "must not contain CR, LF or other control characters");
            }
        }
        String text = r.string("text", false);
        String html = r.string("html", false);
        if (template == null && text == null && html == null && !r.failed("text") && !r.failed("html")) {
            r.fail("text", "at least one of text and html is required");
        }
        List<Attachment> attachments = r.attachments();
        Map<String, String> headers = r.headers();
        Mode mode = r.mode();
        Instant createdAt = r.instant("createdAt");
        Unsubscribe unsubscribe = r.unsubscribe(to.size() + cc.size() + bcc.size(), headers);
        Priority priority = r.priority();
        r.throwIfFailed();
        EmailEvent e = new EmailEvent(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments,
                headers, mode, createdAt, unsubscribe, priority);
        return template == null ? e : e.withTemplate(template, data);
    }

    /**
     * Control characters (C0, DEL, C1), Unicode line and paragraph separators, and lone surrogates: none
     * belongs in a header, and some would split it.
     */
    /** Embeddings, overrides and isolates: they reorder what a reader sees, so a name can hide its extension. */
    static boolean hasBidiControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return true;
            }
        }
        return false;
    }

    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return true;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Null when {@code url} is an absolute https URL with a host that fits in a {@code List-Unsubscribe} header;
     * else why not (the URL quoted only in part).
     */
    static String httpsUrlProblem(String url) {
        if (url.length() > MAX_UNSUBSCRIBE_URL_LENGTH) {
            return "is " + url.length() + " characters long, at most " + MAX_UNSUBSCRIBE_URL_LENGTH;
        }
        if (hasControl(url) || url.chars().anyMatch(c -> c == ' ' || c == '<' || c == '>' || c > 0x7e)) {
            return "must be printable ASCII without spaces, '<' or '>' (percent-encode the rest)";
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return "is not a valid URL: " + e.getReason();
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return "must be an https URL (RFC 8058), got '" + (url.length() > 40 ? url.substring(0, 40) + "..." : url)
                    + "'";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host, as https://host/path";
        }
        return null;
    }

    /** Reads typed fields from the raw map, collecting violations instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, ?> raw;
        private final List<Violation> violations = new ArrayList<>();

        Reader(Map<String, ?> raw) {
            this.raw = raw;
        }

        void fail(String field, String reason) {
            violations.add(new Violation(field, reason));
        }

        boolean failed(String field) {
            return violations.stream().anyMatch(v -> v.field().equals(field) || v.field().startsWith(field + "["));
        }

        void throwIfFailed() {
            if (!violations.isEmpty()) {
                throw new InvalidRecordException(violations);
            }
        }

        String string(String field, boolean required) {
            Object v = raw.get(field);
            if (v == null) {
                if (required) {
                    fail(field, "is required");
                }
                return null;
            }
            if (v instanceof String s) {
                return s;
            }
            fail(field, "must be a string, got " + ConfigRules.describe(v));
            return null;
        }

        String address(String field) {
            String a = string(field, false);
            if (a != null) {
                String problem = Addresses.problem(a);
                if (problem != null) {
                    fail(field, "'" + a + "' " + problem);
                    return null;
                }
            }
            return a;
        }

        List<String> addresses(String field) {
            Object v = raw.get(field);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> list)) {
                fail(field, "must be a list of addresses, got " + ConfigRules.describe(v));
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                String where = field + "[" + i + "]";
                if (!(item instanceof String s)) {
                    fail(where, "must be an address string, got " + ConfigRules.describe(item));
                    continue;
                }
                String problem = Addresses.problem(s);
                if (problem != null) {
                    fail(where, "'" + s + "' " + problem);
                } else {
                    out.add(s);
                }
            }
            return out;
        }

        List<Attachment> attachments() {
            Object v = raw.get("attachments");
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> list)) {
                fail("attachments", "must be a list, got " + ConfigRules.describe(v));
                return List.of();
            }
            List<Attachment> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String where = "attachments[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> m)) {
                    fail(where, "must be an object with filename, contentType and contentBase64");
                    continue;
                }
                for (Object k : m.keySet()) {
                    if (!Set.of("filename", "contentType", "contentBase64").contains(String.valueOf(k))) {
                        fail(where + "." + k, "unknown field");
                    }
                }
                String filename = m.get("filename") instanceof String s ? s : null;
                String contentType = m.get("contentType") instanceof String s ? s : null;
                String content = m.get("contentBase64") instanceof String s ? s : null;
                if (filename == null || filename.isBlank() || hasControl(filename)) {
                    fail(where + ".filename", "is required, printable characters only");
                } else if (hasBidiControl(filename)) {
                    fail(where + ".filename", "must not contain bidirectional control characters (U+202A-U+202E,"
                            + " U+2066-U+2069): they make 'invoice\u202Efdp.exe' read as 'invoiceexe.pdf'");
                }
                if (m.get("contentType") != null && (contentType == null || hasControl(contentType))) {
                    fail(where + ".contentType", "must be a MIME type string such as application/pdf");
                }
                if (content == null) {
                    fail(where + ".contentBase64", "is required");
                } else {
                    try {
                        Base64.getMimeDecoder().decode(content);
                        if (!content.replaceAll("[\\s]", "").matches("[A-Za-z0-9+/]*={0,2}")) {
                            throw new IllegalArgumentException("bad character");
                        }
                    } catch (IllegalArgumentException e) {
                        fail(where + ".contentBase64", "is not valid base64");
                    }
                }
                out.add(new Attachment(filename, contentType, content));
            }
            return out;
        }

        Map<String, String> headers() {
            Object v = raw.get("headers");
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Map<?, ?> m)) {
                fail("headers", "must be an object of header names to values, got " + ConfigRules.describe(v));
                return Map.of();
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String name = String.valueOf(e.getKey());
                String where = "headers." + name.replaceAll("[\\r\\n]", "\\\\n");
                if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
                    fail(where, "a header name must be printable ASCII without spaces, colons, CR or LF");
                    continue;
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (RESERVED_HEADERS.contains(lower) || lower.startsWith(RESERVED_PREFIX)) {
                    fail(where, "is set by the mailer and cannot be given as an extra header");
                    continue;
                }
                if (!(e.getValue() instanceof String value)) {
                    fail(where, "must be a string");
                    continue;
                }
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    fail(where, "must not contain CR or LF");
                    continue;
                }
                if (hasControl(value.replace('\t', ' '))) {
                    fail(where, "must not contain control characters");
                    continue;
                }
                out.put(name, value);
            }
            return out;
        }

        Mode mode() {
            String m = string("mode", false);
            if (m == null) {
                return Mode.SEND;
            }
            try {
                return Mode.valueOf(m);
            } catch (IllegalArgumentException e) {
                fail("mode", "must be SEND or DRAFT, got '" + (m.length() > 20 ? m.substring(0, 20) + "..." : m) + "'");
                return null;
            }
        }

        /**
         * {@code {"url": "https://..."}} or {@code true} (the mailer's own link, then for exactly one recipient: the
         * link unsubscribes one address); null when absent.
         */
        Unsubscribe unsubscribe(int recipients, Map<String, String> headers) {
            Object v = raw.get("unsubscribe");
            if (v == null) {
                return null;
            }
            for (String name : headers.keySet()) {
                if (UNSUBSCRIBE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    fail("headers." + name, "is set by the mailer from unsubscribe; give only unsubscribe");
                }
            }
            if (Boolean.TRUE.equals(v)) {
                if (recipients != 1 && !failed("to") && !failed("cc") && !failed("bcc")) {
                    fail("unsubscribe", "true needs exactly one recipient in to, cc and bcc together (the mailer's"
                            + " link unsubscribes one address), got " + recipients
                            + "; send one email per recipient, or give {\"url\": ...}");
                }
                return Unsubscribe.mailersOwn();
            }
            if (!(v instanceof Map<?, ?> m)) {
                fail("unsubscribe", "must be {\"url\": \"https://...\"} or true, got " + ConfigRules.describe(v));
                return null;
            }
            for (Object k : m.keySet()) {
                if (!"url".equals(k)) {
                    fail("unsubscribe." + k, "unknown field");
                }
            }
            if (!(m.get("url") instanceof String url)) {
                fail("unsubscribe.url", m.get("url") == null ? "is required" : "must be a string");
                return null;
            }
            String problem = httpsUrlProblem(url);
            if (problem != null) {
                fail("unsubscribe.url", problem);
                return null;
            }
            return Unsubscribe.at(url);
        }

        /** The template's name, checked against the record rule's name pattern; null when absent or bad. */
        String template() {
            String name = string("template", false);
            if (name != null && !TemplateNames.isValid(name)) {
                fail("template", TemplateNames.RULE);
                return null;
            }
            return name;
        }

        /** {@code data}: a JSON object, only beside {@code template}; empty when absent. */
        @SuppressWarnings("unchecked")
        Map<String, Object> data(boolean withTemplate) {
            Object v = raw.get("data");
            if (v == null) {
                return Map.of();
            }
            if (!withTemplate && !failed("template")) {
                fail("data", "is only read with template");
                return Map.of();
            }
            if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            fail("data", "must be a JSON object, got " + ConfigRules.describe(v));
            return Map.of();
        }

        Priority priority() {
            String p = string("priority", false);
            if (p == null) {
                return Priority.NORMAL;
            }
            try {
                return Priority.valueOf(p);
            } catch (IllegalArgumentException e) {
                fail("priority", "must be NORMAL or HIGH, got '" + (p.length() > 20 ? p.substring(0, 20) + "..." : p)
                        + "'");
                return null;
            }
        }

        Instant instant(String field) {
            String s = string(field, false);
            if (s == null) {
                return null;
            }
            try {
                return Instants.parse(s);
            } catch (DateTimeParseException e) {
                fail(field, "must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
                return null;
            }
        }
    }
}
