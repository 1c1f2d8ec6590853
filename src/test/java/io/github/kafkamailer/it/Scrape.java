package io.github.kafkamailer.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text scrape, read as a user's Prometheus would: series name, labels, value. */
public final class Scrape {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public record Series(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Series> series = new ArrayList<>();

    public Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
    }

    public static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static Scrape of(int port) throws Exception {
        return new Scrape(get(port, "/metrics").body());
    }

    public String text() {
        return text;
    }

    /** The value of the series with this name and at least these labels (pairs), or NaN when absent. */
    public double value(String name, String... labelPairs) {
        return series.stream().filter(s -> s.name().equals(name) && has(s, labelPairs)).mapToDouble(Series::value)
                .findFirst().orElse(Double.NaN);
    }

    public boolean hasName(String name) {
        return series.stream().anyMatch(s -> s.name().equals(name));
    }

    public List<String> names() {
        return series.stream().map(Series::name).distinct().toList();
    }

    private static boolean has(Series s, String... pairs) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(s.labels().get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }
}
