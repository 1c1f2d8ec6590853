package io.github.kafkamailer.model;

import java.util.regex.Pattern;

/** The rule for a template's name (CONTRACT.md, "Template record"), shared by the event and the record. */
public final class TemplateNames {
    public static final String RULE = "must match [A-Za-z0-9._-]{1,100}";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private TemplateNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
