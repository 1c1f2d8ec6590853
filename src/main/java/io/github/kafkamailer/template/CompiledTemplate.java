package io.github.kafkamailer.template;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import io.github.kafkamailer.model.EmailRules;
import io.github.kafkamailer.model.Template;
import java.util.List;
import java.util.Map;

/**
 * One version of a template, compiled: safe to render from many sender lanes at once (the compiled form is
 * immutable; each render has its own writer and budget).
 */
public final class CompiledTemplate {
    /** Items the sections of one render may walk over: far beyond a real invoice, far below a stalled lane. */
    public static final long MAX_SECTION_ITEMS = 1_000_000;

    private final Template source;
    private final Mustache subject;
    private final Mustache text;
    private final Mustache html;

    CompiledTemplate(Template source, Mustache subject, Mustache text, Mustache html) {
        this.source = source;
        this.subject = subject;
        this.text = text;
        this.html = html;
    }

    public Template source() {
        return source;
    }

    /**
     * Renders the three parts with {@code data}.
     *
     * @param maxChars the most characters subject, text and html may come to together (the outbox's size limit)
     * @throws TemplateRenderException past either budget, or for a subject with a line break or control character
     */
    public RenderedContent render(Map<String, Object> data, long maxChars) {
        BoundedWriter.Budget budget = new BoundedWriter.Budget(maxChars, MAX_SECTION_ITEMS);
        String s = run(subject, data, budget);
        if (s.chars().anyMatch(Character::isISOControl)) {
            throw new TemplateRenderException("the rendered subject contains CR, LF or another control character");
        }
        if (s.length() > EmailRules.MAX_SUBJECT_LENGTH) {
            throw new TemplateRenderException("the rendered subject is " + s.length() + " characters long, at most "
                    + EmailRules.MAX_SUBJECT_LENGTH);
        }
        return new RenderedContent(s, run(text, data, budget), run(html, data, budget));
    }

    private static String run(Mustache part, Map<String, Object> data, BoundedWriter.Budget budget) {
        if (part == null) {
            return null;
        }
        BoundedWriter out = new BoundedWriter(budget);
        try {
            part.execute(out, List.of(data == null ? Map.of() : data));
        } catch (MustacheException e) {
            // The library wraps what a writer throws; ours is the reason worth telling.
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof TemplateRenderException r) {
                    throw r;
                }
            }
            throw new TemplateRenderException("the template can't be rendered with this data: " + e.getMessage());
        }
        return out.toString();
    }
}
