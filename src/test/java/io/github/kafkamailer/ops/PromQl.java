package io.github.kafkamailer.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading to list the metric names an expression uses. */
final class PromQl {
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** A label list after a grouping or matching keyword: its words are label names, not metrics. */
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /**
     * Aggregation operators and keywords, which may stand without a parenthesis right after them
     * ({@code sum by (x) (...)}, {@code a and on (x) b}, {@code x offset 5m}). Any other word followed by
     * {@code (} is a function: a metric name never is.
     */
    private static final Set<String> WORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "limitk", "limit_ratio", "by", "without", "on",
            "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

    private PromQl() {
    }

    /**
     * The metric names in {@code expr}: identifiers outside label matchers {@code {...}}, range selectors
     * {@code [...]}, strings and label lists, that are neither keywords, functions (a word followed by
     * {@code (}), nor parts of a number ({@code 1e3}, {@code 5m}).
     */
    static Set<String> metricNames(String expr) {
        String stripped = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ");
        stripped = LABEL_LIST.matcher(stripped).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(stripped);
        while (m.find()) {
            String word = m.group();
            boolean numberPart = m.start() > 0 && isNumberChar(stripped.charAt(m.start() - 1));
            boolean function = stripped.substring(m.end()).stripLeading().startsWith("(");
            if (!WORDS.contains(word.toLowerCase()) && !numberPart && !function) {
                names.add(word);
            }
        }
        return names;
    }

    private static boolean isNumberChar(char c) {
        return Character.isDigit(c) || c == '.';
    }
}
