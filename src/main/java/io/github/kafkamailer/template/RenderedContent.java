package io.github.kafkamailer.template;

/** What a template gave for one email: the subject, and the bodies the template has (null for one it lacks). */
public record RenderedContent(String subject, String text, String html) {
}
