package io.github.kafkamailer.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.Json;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Priority;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.model.TemplateNames;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.Violation;
import io.github.kafkamailer.template.RenderedContent;
import io.github.kafkamailer.template.TemplateCompiler;
import io.github.kafkamailer.template.TemplateSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes, reads, deletes and previews the tenants' templates on the templates topic (CONTRACT.md, "Template
 * record"): for {@code mailer template} and the console. A template is checked as the mailer will check it (the
 * record's rules, then whether its Mustache compiles) before it is published, so an admin learns of a mistake, with
 * its line, here and not from a WARN line of the mailer. Reading is the topic read to its end with those same
 * rules: a record that breaks one is ignored and the last valid version stays, a tombstone removes.
 */
public final class TemplateAdmin {
    /**
     * How many characters a preview may render to: Kafka's default record size limit (1 MiB), which the outbox's
     * limit is unless a deployment raises it.
     */
    public static final long PREVIEW_MAX_CHARS = 1_048_576;

    private final KafkaAccess kafka;
    private final TopicNames topics;

    public TemplateAdmin(KafkaAccess kafka, TopicNames topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /**
     * A template from what an admin wrote: a JSON object with {@code subject}, {@code text} and {@code html}, or a
     * whole record. {@code tenant} and {@code name}, when given, fill in the record's (and must agree with the ones
     * it names); when not, the record's own are used.
     *
     * @throws InvalidRecordException naming every broken rule, or why the bytes are not a JSON object
     */
    public static Template fromJson(String tenant, String name, byte[] bytes) {
        return fromJson(tenant, name, bytes, false);
    }

    /**
     * As {@link #fromJson}, for a preview: a template that names no tenant or name, and is given none, is
     * previewed as {@code default/preview}.
     */
    public static Template forPreview(String tenant, String name, byte[] bytes) {
        return fromJson(tenant, name, bytes, true);
    }

    private static Template fromJson(String tenant, String name, byte[] bytes, boolean placeholders) {
        Map<String, Object> m = new LinkedHashMap<>(TemplateJson.data(bytes));
        List<Violation> broken = new ArrayList<>();
        agree(m, "tenant", tenant, broken);
        agree(m, "name", name, broken);
        if (!broken.isEmpty()) {
            throw new InvalidRecordException(broken);
        }
        if (placeholders) {
            m.putIfAbsent("tenant", "default");
            m.putIfAbsent("name", "preview");
        }
        try {
            return TemplateJson.parse(null, Json.writer().writeValueAsBytes(m));
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("value", "could not be written back as JSON");
        }
    }

    private static void agree(Map<String, Object> m, String field, String given, List<Violation> broken) {
        if (given == null) {
            return;
        }
        Object inFile = m.get(field);
        if (inFile != null && !given.equals(inFile)) {
            broken.add(new Violation(field, "is '" + inFile + "' in the record but '" + given + "' was given"));
        }
        m.put(field, given);
    }

    /**
     * {@code t} if the mailer would take it: the record's rules, then its three parts compiled.
     *
     * @throws InvalidRecordException                              for a broken record rule
     * @throws TemplateSyntaxException for a part that doesn't compile, with its line
     */
    public static Template checked(Template t) {
        Template parsed = TemplateJson.parse(t.key(), TemplateJson.write(t));
        TemplateCompiler.compile(parsed);
        return parsed;
    }

    /** Why a part doesn't compile, without the part and line its message starts with (said apart). */
    public static String reason(TemplateSyntaxException e) {
        String prefix = e.part() + ": line " + e.line() + ": ";
        String m = e.getMessage();
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
    }

    /**
     * Renders {@code t} with {@code data} as the mailer would at send time.
     *
     * @throws InvalidRecordException                              for a broken record rule
     * @throws TemplateSyntaxException for a part that doesn't compile
     * @throws io.github.kafkamailer.template.TemplateRenderException past the size budget, or a subject with CR/LF
     */
    public static RenderedContent preview(Template t, Map<String, Object> data) {
        return TemplateCompiler.compile(checked(t)).render(data, PREVIEW_MAX_CHARS);
    }

    /**
     * Checks {@code t} (see {@link #checked}), then publishes it under {@code TENANT/NAME} and waits for the ack.
     * Nothing is published when it breaks a rule.
     */
    public RecordMetadata publish(Template t) {
        Template ok = checked(t);
        return kafka.publish(topics.templates(), ok.key().getBytes(StandardCharsets.UTF_8), TemplateJson.write(ok));
    }

    /**
     * Removes a template (a tombstone), whether or not one is in force.
     *
     * @return the key removed
     * @throws InvalidRecordException for a missing tenant or a bad name; nothing is published
     */
    public String delete(String tenant, String name) {
        List<Violation> broken = new ArrayList<>();
        if (tenant == null || tenant.isBlank()) {
            broken.add(new Violation("tenant", "is required"));
        }
        if (!TemplateNames.isValid(name)) {
            broken.add(new Violation("name", TemplateNames.RULE));
        }
        if (!broken.isEmpty()) {
            throw new InvalidRecordException(broken);
        }
        String key = Template.keyOf(tenant, name);
        kafka.publish(topics.templates(), key.getBytes(StandardCharsets.UTF_8), null);
        return key;
    }

    /** The version of the template in force, if any. */
    public Optional<Template> get(String tenant, String name) {
        return Optional.ofNullable(inForce().get(Template.keyOf(tenant, name)));
    }

    /** The templates in force, sorted by key; only {@code tenant}'s when it is not null. */
    public List<Template> list(String tenant) {
        List<Template> out = new ArrayList<>();
        for (Template t : inForce().values()) {
            if (tenant == null || tenant.equals(t.tenant())) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Publishes to the outbox a plain email (no template) for the tenant to {@code to}, with content already
     * rendered: what the console's "Send a test" sends. It is {@code HIGH} priority, so that the admin waiting for
     * it needn't wait for the tenant's next run.
     *
     * @return the email's id
     * @throws InvalidRecordException when the email breaks the contract (a bad address); nothing is published
     */
    public String sendTest(String tenant, String to, RenderedContent content) {
        EmailEvent email = EmailEventJson.parse(EmailEventJson.write(EmailEvent.builder("template-test-"
                        + UUID.randomUUID()).tenant(tenant).to(Objects.requireNonNull(to, "to"))
                .subject(content.subject()).text(content.text()).html(content.html()).priority(Priority.HIGH)
                .build()));
        kafka.publish(topics.outbox(), email.id().getBytes(StandardCharsets.UTF_8), EmailEventJson.write(email));
        return email.id();
    }

    private Map<String, Template> inForce() {
        return kafka.latestValid(topics.templates(), (key, value) -> {
            Template t = TemplateJson.parse(key, value);
            TemplateCompiler.compile(t);
            return t;
        });
    }
}
