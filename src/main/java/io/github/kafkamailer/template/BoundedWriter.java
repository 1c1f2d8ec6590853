package io.github.kafkamailer.template;

import java.io.Writer;

/**
 * Collects a render's output and stops it, with {@link TemplateRenderException}, once it passes its character
 * budget or its sections walk past their item budget: a template and data that would render without end fail fast
 * instead of exhausting the heap or a sender lane.
 */
final class BoundedWriter extends Writer {
    private final StringBuilder out = new StringBuilder();
    private final Budget budget;

    BoundedWriter(Budget budget) {
        this.budget = budget;
    }

    /** Shared by the parts of one email: the limit holds for subject, text and html together. */
    static final class Budget {
        private final long maxChars;
        private final long maxItems;
        private long chars;
        private long items;

        Budget(long maxChars, long maxItems) {
            this.maxChars = maxChars;
            this.maxItems = maxItems;
        }
    }

    void walked(long n) {
        budget.items += n;
        if (budget.items > budget.maxItems) {
            throw new TemplateRenderException("the template's sections walk over more than " + budget.maxItems
                    + " items for this data");
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
        budget.chars += len;
        if (budget.chars > budget.maxChars) {
            throw new TemplateRenderException("the rendered email would be longer than " + budget.maxChars
                    + " characters, the outbox's size limit");
        }
        out.append(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
        budget.chars += len;
        if (budget.chars > budget.maxChars) {
            throw new TemplateRenderException("the rendered email would be longer than " + budget.maxChars
                    + " characters, the outbox's size limit");
        }
        out.append(str, off, off + len);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
