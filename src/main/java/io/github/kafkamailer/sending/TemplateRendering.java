package io.github.kafkamailer.sending;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.template.CompiledTemplate;
import io.github.kafkamailer.template.RenderedContent;
import io.github.kafkamailer.template.TemplateRenderException;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.util.List;

/**
 * Renders a templated email (CONTRACT.md, "Email event": {@code template} and {@code data}) in front of the
 * transports, so SMTP, OAuth, Graph and drafts all get the finished subject, text and html. It runs where the
 * session runs, on the sender lane, when the email is sent: with the version of the template in force then, never on
 * the stream thread, and the event, the pending store and the retry topic keep the template's name and data.
 *
 * <p>It classifies its own failures, once: a template the tenant doesn't have (yet) is {@link FailureClass#TRANSIENT}
 * (it may arrive; after {@code maxErrorSeconds} the email expires like any transient failure); a render that can't
 * succeed for this data ({@link TemplateRenderException}: past the size or item budget, a subject with a line
 * break) is {@link FailureClass#INVALID}. Neither reaches the server, nor says anything about it.
 */
public final class TemplateRendering implements MailTransport {
    private final MailTransport next;
    private final TemplateLookup templates;
    private final long maxChars;

    private TemplateRendering(MailTransport next, TemplateLookup templates, long maxChars) {
        this.next = next;
        this.templates = templates;
        this.maxChars = maxChars;
    }

    /**
     * {@code next}, with templated emails rendered before they reach it.
     *
     * @param maxChars the most characters a rendered email's subject, text and html may come to together: the
     *                 outbox's size limit, so a render is bounded as a producer's own email is
     */
    public static MailTransport around(MailTransport next, TemplateLookup templates, long maxChars) {
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive, got " + maxChars);
        }
        return new TemplateRendering(next, templates, maxChars);
    }

    @Override
    public TransportSession open(MailerConfig config) {
        TransportSession session = next.open(config);
        return new TransportSession() {
            @Override
            public SendOutcome send(EmailEvent email) {
                return send(email, null);
            }

            @Override
            public SendOutcome send(EmailEvent email, List<String> onlyRecipients) {
                if (!email.needsRendering()) {
                    return session.send(email, onlyRecipients);
                }
                TransportKind kind = email.mode() == Mode.DRAFT ? TransportKind.GRAPH : config.transportKind();
                CompiledTemplate template = templates.find(email.tenant(), email.template());
                if (template == null) {
                    return new SendOutcome.Failed(kind, FailureClass.TRANSIENT, "template '" + email.template()
                            + "' of tenant '" + email.tenant() + "' is not known (not, or not yet, on the"
                            + " templates topic)", false);
                }
                RenderedContent content;
                try {
                    content = template.render(email.data(), maxChars);
                } catch (TemplateRenderException e) {
                    return new SendOutcome.Failed(kind, FailureClass.INVALID, "template '" + email.template()
                            + "' can't be rendered for this email: " + e.getMessage(), false);
                }
                return session.send(email.withRenderedContent(content.subject(), content.text(), content.html()),
                        onlyRecipients);
            }

            @Override
            public void abort() {
                session.abort();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
