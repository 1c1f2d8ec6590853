package io.github.kafkamailer.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An email as a producer publishes it on the outbox topic (CONTRACT.md, "Email event"). Immutable; lists and
 * maps are copied. Build one with {@link #builder(String)}; parsing and the contract's rules live in
 * {@code json.EmailEventJson} and {@link EmailRules}.
 *
 * @param createdAt when the email was created; null when the producer gave none (the record's timestamp then
 *                  stands in, see {@link #withCreatedAtIfAbsent})
 * @param unsubscribe the one-click unsubscribe the email offers (RFC 8058); null for none
 * @param priority  NORMAL (the default, also for null) or HIGH: ahead of the tenant's normal emails, within a second
 * @param template  the name of a template of the tenant (mail.templates) that gives subject, text and html when the
 *                  email is sent; null for an email that carries them itself
 * @param data      what the template is rendered with: a JSON object as decoded (maps, lists, strings, numbers,
 *                  booleans, nulls); empty without a template
 */
public record EmailEvent(
        String id,
        String tenant,
        String from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        List<String> replyTo,
        String subject,
        String text,
        String html,
        List<Attachment> attachments,
        Map<String, String> headers,
        Mode mode,
        Instant createdAt,
        Unsubscribe unsubscribe,
        Priority priority,
        String template,
        Map<String, Object> data) {

    public static final String DEFAULT_TENANT = "default";

    /** Without {@code unsubscribe}: the components every email had before it. */
    public EmailEvent(String id, String tenant, String from, List<String> to, List<String> cc, List<String> bcc,
                      List<String> replyTo, String subject, String text, String html, List<Attachment> attachments,
                      Map<String, String> headers, Mode mode, Instant createdAt) {
        this(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments, headers, mode, createdAt, null);
    }

    /** A {@link Priority#NORMAL} email. */
    public EmailEvent(String id, String tenant, String from, List<String> to, List<String> cc, List<String> bcc,
                      List<String> replyTo, String subject, String text, String html, List<Attachment> attachments,
                      Map<String, String> headers, Mode mode, Instant createdAt, Unsubscribe unsubscribe) {
        this(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments, headers, mode, createdAt,
                unsubscribe, Priority.NORMAL);
    }

    /** Without a template. */
    public EmailEvent(String id, String tenant, String from, List<String> to, List<String> cc, List<String> bcc,
                      List<String> replyTo, String subject, String text, String html, List<Attachment> attachments,
                      Map<String, String> headers, Mode mode, Instant createdAt, Unsubscribe unsubscribe,
                      Priority priority) {
        this(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments, headers, mode, createdAt,
                unsubscribe, priority, null, null);
    }

    /** The same email with {@code p} (null: NORMAL). */
    public EmailEvent withPriority(Priority p) {
        return new EmailEvent(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments, headers,
                mode, createdAt, unsubscribe, p, template, data);
    }

    /** The same email rendered from template {@code name} with {@code values} (null: none), without its own content. */
    public EmailEvent withTemplate(String name, Map<String, Object> values) {
        return new EmailEvent(id, tenant, from, to, cc, bcc, replyTo, null, null, null, attachments, headers,
                mode, createdAt, unsubscribe, priority, name, values);
    }

    /**
     * The email as it is sent: {@code subject}, {@code text} and {@code html} rendered from its template. The template's
     * name stays (the SENT status names it); the data goes, it has served.
     */
    public EmailEvent withRenderedContent(String renderedSubject, String renderedText, String renderedHtml) {
        return new EmailEvent(id, tenant, from, to, cc, bcc, replyTo, renderedSubject, renderedText, renderedHtml,
                attachments, headers, mode, createdAt, unsubscribe, priority, template, null);
    }

    /** True when the email's content comes from a template still to be rendered. */
    public boolean needsRendering() {
        return template != null && subject == null;
    }

    public EmailEvent {
        tenant = tenant == null || tenant.isEmpty() ? DEFAULT_TENANT : tenant;
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        replyTo = replyTo == null ? List.of() : List.copyOf(replyTo);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        mode = mode == null ? Mode.SEND : mode;
        priority = priority == null ? Priority.NORMAL : priority;
        // JSON data may hold nulls, which Map.copyOf refuses; the nested maps and lists are the parser's own.
        data = data == null || data.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public EmailEvent withCreatedAtIfAbsent(Instant fallback) {
        if (createdAt != null) {
            return this;
        }
        return new EmailEvent(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments, headers,
                mode, fallback, unsubscribe, priority, template, data);
    }

    /** A copy offering {@code u} as its one-click unsubscribe (null: none). */
    public EmailEvent withUnsubscribe(Unsubscribe u) {
        return new EmailEvent(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments, headers,
                mode, createdAt, u, priority, template, data);
    }

    /** A copy addressed to {@code recipients} alone (To), without Cc and Bcc: what a partial retry sends. */
    public EmailEvent withOnlyRecipients(List<String> recipients) {
        return new EmailEvent(id, tenant, from, recipients, List.of(), List.of(), replyTo, subject, text, html,
                attachments, headers, mode, createdAt, unsubscribe, priority, template, data);
    }

    public int recipientCount() {
        return to.size() + cc.size() + bcc.size();
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder for tests and the CLI, where an email is put together field by field. */
    public static final class Builder {
        private final String id;
        private String tenant;
        private String from;
        private List<String> to = List.of();
        private List<String> cc = List.of();
        private List<String> bcc = List.of();
        private List<String> replyTo = List.of();
        private String subject;
        private String text;
        private String html;
        private List<Attachment> attachments = List.of();
        private Map<String, String> headers = Map.of();
        private Mode mode = Mode.SEND;
        private Instant createdAt;
        private Unsubscribe unsubscribe;
        private Priority priority = Priority.NORMAL;
        private String template;
        private Map<String, Object> data;

        private Builder(String id) {
            this.id = id;
        }

        public Builder tenant(String v) { this.tenant = v; return this; }
        public Builder from(String v) { this.from = v; return this; }
        public Builder to(String... v) { this.to = List.of(v); return this; }
        public Builder to(List<String> v) { this.to = v; return this; }
        public Builder cc(String... v) { this.cc = List.of(v); return this; }
        public Builder bcc(String... v) { this.bcc = List.of(v); return this; }
        public Builder replyTo(String... v) { this.replyTo = List.of(v); return this; }
        public Builder subject(String v) { this.subject = v; return this; }
        public Builder text(String v) { this.text = v; return this; }
        public Builder html(String v) { this.html = v; return this; }
        public Builder attachments(List<Attachment> v) { this.attachments = v; return this; }
        public Builder headers(Map<String, String> v) { this.headers = v; return this; }
        public Builder mode(Mode v) { this.mode = v; return this; }
        public Builder createdAt(Instant v) { this.createdAt = v; return this; }
        public Builder unsubscribe(Unsubscribe v) { this.unsubscribe = v; return this; }
        public Builder priority(Priority v) { this.priority = v; return this; }
        public Builder template(String name, Map<String, Object> values) {
            this.template = name;
            this.data = values;
            return this;
        }

        public EmailEvent build() {
            return new EmailEvent(id, tenant, from, to, cc, bcc, replyTo, subject, text, html, attachments,
                    headers, mode, createdAt, unsubscribe, priority, template, data);
        }
    }
}
