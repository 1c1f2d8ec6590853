package io.github.kafkamailer.template;

/** A template source that doesn't compile: which part (subject, text, html), the line and the reason. */
public class TemplateSyntaxException extends RuntimeException {
    private final String part;
    private final int line;

    public TemplateSyntaxException(String part, int line, String reason) {
        super(part + ": line " + line + ": " + reason);
        this.part = part;
        this.line = line;
    }

    /** {@code subject}, {@code text} or {@code html}. */
    public String part() {
        return part;
    }

    /** 1-based line in that part's source. */
    public int line() {
        return line;
    }
}
