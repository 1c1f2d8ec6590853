package io.github.kafkamailer.json;

/** JSON string quoting for tests that build records by hand. */
public final class TemplateJsonTestSupport {
    private TemplateJsonTestSupport() {
    }

    public static String quote(String s) {
        return new String(Json.write(s, false), java.nio.charset.StandardCharsets.UTF_8);
    }
}
