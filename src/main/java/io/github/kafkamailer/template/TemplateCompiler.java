package io.github.kafkamailer.template;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Iteration;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.reflect.MapObjectHandler;
import io.github.kafkamailer.model.Template;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link Template}'s Mustache sources once, for every email rendered with that version. Logic-less as
 * CONTRACT.md says: values are looked up in the email's JSON data only (maps, never a Java object's methods), no
 * partials, parents or pragmas (a partial would read files), HTML-escaping in {@code html} alone.
 */
public final class TemplateCompiler {
    private TemplateCompiler() {
    }

    /**
     * @throws TemplateSyntaxException for the first part (subject, text, html) that doesn't compile, with its line
     */
    public static CompiledTemplate compile(Template t) {
        return new CompiledTemplate(t,
                part("subject", t.subject(), false),
                t.text() == null ? null : part("text", t.text(), false),
                t.html() == null ? null : part("html", t.html(), true));
    }

    private static Mustache part(String part, String source, boolean escapeHtml) {
        try {
            return new Factory(escapeHtml).compile(new StringReader(source), part);
        } catch (MustacheException e) {
            TemplateContext at = e.getContext();
            throw new TemplateSyntaxException(part, at == null ? 1 : Math.max(1, at.line()), reason(e));
        }
    }

    /** The library's message without the {@code @[name:line]} it appends: the line is said apart. */
    private static String reason(MustacheException e) {
        String m = e.getMessage() == null ? "does not compile" : e.getMessage();
        int at = m.lastIndexOf(" @[");
        return (at > 0 ? m.substring(0, at) : m).trim();
    }

    /** One compiler per source: what to escape, what to refuse, where values come from. */
    private static final class Factory extends DefaultMustacheFactory {
        private final boolean escapeHtml;

        Factory(boolean escapeHtml) {
            this.escapeHtml = escapeHtml;
            setObjectHandler(new DataOnly());
        }

        @Override
        public void encode(String value, Writer writer) {
            if (escapeHtml) {
                super.encode(value, writer);
                return;
            }
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public MustacheVisitor createMustacheVisitor() {
            return new DefaultMustacheVisitor(this) {
                @Override
                public void partial(TemplateContext tc, String variable, String indent) {
                    throw new MustacheException("partials ({{>" + variable + "}}) are not supported", tc);
                }

                @Override
                public void dynamicPartial(TemplateContext tc, String variable, String indent) {
                    throw new MustacheException("partials ({{>*" + variable + "}}) are not supported", tc);
                }

                @Override
                public void extend(TemplateContext tc, String variable, Mustache mustache) {
                    throw new MustacheException("parents ({{<" + variable + "}}) are not supported", tc);
                }

                @Override
                public void pragma(TemplateContext tc, String pragma, String args) {
                    throw new MustacheException("pragmas ({{%" + pragma + "}}) are not supported", tc);
                }
            };
        }

        @Override
        public java.io.Reader getReader(String resourceName) {
            throw new MustacheException("templates read nothing but their own source");
        }
    }

    /**
     * Looks values up in maps only (the JSON data), and counts the items every section walks over on the
     * {@link BoundedWriter} it writes to: nested sections over long lists can loop without writing a byte.
     */
    private static final class DataOnly extends MapObjectHandler {
        @Override
        public Writer iterate(Iteration iteration, Writer writer, Object object, List<Object> scopes) {
            if (writer instanceof BoundedWriter bounded) {
                bounded.walked(object instanceof Collection<?> c ? c.size() : 1);
            }
            return super.iterate(iteration, writer, object, scopes);
        }

        @Override
        public Writer falsey(Iteration iteration, Writer writer, Object object, List<Object> scopes) {
            if (writer instanceof BoundedWriter bounded) {
                bounded.walked(1);
            }
            return super.falsey(iteration, writer, object, scopes);
        }

        @Override
        public String stringify(Object object) {
            // JSON numbers: 3, not 3.0, for a whole number the parser read as a double.
            if (object instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            return object instanceof Map<?, ?> || object instanceof Collection<?> ? "" : super.stringify(object);
        }
    }
}
