package io.github.kafkamailer.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading to list the metric names an expression uses. */
final class PromQl {
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> WORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "rate", "irate", "increase", "delta", "idelta",
            "deriv", "histogram_quantile", "clamp_min", "clamp_max", "abs", "absent", "absent_over_time", "vector",
            "scalar", "time", "label_replace", "label_join", "sort", "sort_desc", "round", "ceil", "floor",
            "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "count_over_time", "changes",
            "resets", "predict_linear", "timestamp", "e", "inf", "nan");

    private PromQl() {
    }

    /**
     * The metric names in {@code expr}: identifiers outside label matchers {@code {...}}, range selectors
     * {@code [...]} and strings, that are neither functions, keywords, nor label names after {@code by}/{@code on}.
     */
    static Set<String> metricNames(String expr) {
        String stripped = expr.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(stripped);
        while (m.find()) {
            String word = m.group();
            boolean numberPart = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
            if (!WORDS.contains(word.toLowerCase()) && !numberPart) {
                names.add(word);
            }
        }
        return names;
    }
}
