package io.github.kafkamailer.model;

/** A file attached to an email; its content stays base64 as it arrived, decoded only when the message is built. */
public record Attachment(String filename, String contentType, String contentBase64) {
    public Attachment {
        contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    }
}
