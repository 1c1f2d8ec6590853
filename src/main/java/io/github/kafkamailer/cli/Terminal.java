package io.github.kafkamailer.cli;

/**
 * Text from records (reasons, keys, server replies) made safe to print: a producer or a server can put terminal
 * escape sequences in them, which would rewrite the operator's screen. Line breaks and tabs become spaces; other
 * control characters, and the bidirectional overrides that reorder text, show as {@code ?}.
 */
final class Terminal {
    private Terminal() {
    }

    static String clean(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n' || c == '\r' || c == '\t') {
                b.append(' ');
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069)) {
                b.append('?');
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** {@link #clean}, then cut to {@code max} characters. */
    static String cut(String s, int max) {
        String c = clean(s);
        return c.length() <= max ? c : c.substring(0, max - 3) + "...";
    }
}
