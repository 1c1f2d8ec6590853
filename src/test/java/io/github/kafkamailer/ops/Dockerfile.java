package io.github.kafkamailer.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough Dockerfile reading for the tests: instructions (continuation lines joined, comments dropped)
 * grouped by build stage, the build arguments declared before the first FROM and their defaults. The image is
 * built and run by ImageIT where podman runs; these tests read its recipe everywhere.
 */
public final class Dockerfile {
    public static final Path PATH = Path.of("Dockerfile");

    /** One instruction: {@code COPY}, {@code RUN}, ... and the rest of its line. */
    public record Instruction(String keyword, String arguments) {
        /** The arguments of an exec-form instruction ({@code ["a", "b"]}). */
        public List<String> execForm() {
            try {
                return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new IllegalStateException(keyword + " is not in exec form (a JSON array): " + arguments, e);
            }
        }
    }

    /**
     * A build stage: its base image as FROM names it ({@code ${BUILD_IMAGE}}), that image with the build
     * arguments' defaults put in, its name (AS ...) and its instructions after FROM.
     */
    public record Stage(String from, String image, String name, List<Instruction> instructions) {
        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        public Instruction last(String keyword) {
            List<Instruction> found = all(keyword);
            if (found.isEmpty()) {
                throw new IllegalStateException("stage " + name + " has no " + keyword);
            }
            return found.get(found.size() - 1);
        }

        /** The index of the first instruction whose keyword and arguments start as given, or -1. */
        public int indexOf(String keyword, String argumentsStart) {
            for (int i = 0; i < instructions.size(); i++) {
                Instruction in = instructions.get(i);
                if (in.keyword().equals(keyword) && in.arguments().startsWith(argumentsStart)) {
                    return i;
                }
            }
            return -1;
        }

        /** {@code ENV} settings of this stage, in both forms ({@code K=V ...} and {@code K V}). */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction in : all("ENV")) {
                String args = in.arguments();
                if (args.matches("^[A-Za-z_][A-Za-z0-9_]*=.*")) {
                    for (String pair : args.split("\\s+")) {
                        int eq = pair.indexOf('=');
                        env.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
                    }
                } else {
                    String[] kv = args.split("\\s+", 2);
                    env.put(kv[0], unquote(kv[1]));
                }
            }
            return env;
        }
    }

    private Dockerfile() {
    }

    public static List<Stage> stages() {
        return read().stages();
    }

    /** The build arguments declared before the first FROM (those FROM may use), with their defaults. */
    public static Map<String, String> globalArgs() {
        return read().globalArgs();
    }

    private record Parsed(Map<String, String> globalArgs, List<Stage> stages) {
    }

    private static Parsed read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(PATH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                joined.add(current.toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        for (String line : joined) {
            String[] parts = line.split(" ", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String args = parts.length > 1 ? parts[1] : "";
            if (keyword.equals("FROM")) {
                String[] from = args.split("\\s+");
                String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : String.valueOf(stages.size());
                stages.add(new Stage(from[0], substitute(from[0], globalArgs), name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalStateException("instruction before FROM other than ARG: " + line);
                }
                String[] kv = args.split("=", 2);
                globalArgs.put(kv[0], kv.length > 1 ? unquote(kv[1]) : "");
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
            }
        }
        return new Parsed(globalArgs, stages);
    }

    /** {@code ${NAME}} and {@code $NAME} replaced by the arguments' values (unknown ones left as they are). */
    private static String substitute(String s, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The stage the image is made of: the last one. */
    public static Stage runtime() {
        List<Stage> all = stages();
        return all.get(all.size() - 1);
    }

    public static Stage stage(String name) {
        return stages().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no stage " + name));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
