package io.github.kafkamailer.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of a benchmark child process; all named ones are required. */
record Args(Map<String, String> values) {
    static Args parse(String[] args, String... required) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            v.put(args[i], args[i + 1]);
        }
        for (String r : required) {
            if (!v.containsKey(r)) {
                System.err.println("missing " + r);
                System.exit(2);
            }
        }
        return new Args(v);
    }

    String get(String name) {
        return values.get(name);
    }
}
