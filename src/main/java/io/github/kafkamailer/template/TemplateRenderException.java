package io.github.kafkamailer.template;

/**
 * A template that can't be rendered for this email's data: the output would pass the size limit, the sections would
 * loop past the iteration budget, or the subject came out with a line break. The email is {@code INVALID}: the same
 * data and template would fail again.
 */
public class TemplateRenderException extends RuntimeException {
    public TemplateRenderException(String message) {
        super(message);
    }
}
