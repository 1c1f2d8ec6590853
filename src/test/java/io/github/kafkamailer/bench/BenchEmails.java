package io.github.kafkamailer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's emails: contract-format events (CONTRACT.md, "Email event") of about 2 KB, tenant
 * {@code bench}, each with a text and an HTML body and the headers the SMTP sink reads back: {@code X-Bench-Seq}
 * (which email it is, so duplicates are seen) and, for the latency phase, {@code X-Bench-Published} (epoch
 * millis at publication).
 */
final class BenchEmails {
    static final String TENANT = "bench";
    static final String POSTMASTER = "donotreply@bench.example";
    static final String SEQ_HEADER = "X-Bench-Seq";
    static final String PUBLISHED_HEADER = "X-Bench-Published";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"invoice", "statement", "balance", "account", "payment", "november",
        "order", "delivery", "customer", "reference", "amount", "total", "period", "contract", "service",
        "please", "find", "below", "summary", "thank", "you", "regards", "team", "questions", "contact"};

    private BenchEmails() {
    }

    /** The event of email {@code seq} of a run; {@code publishedMillis} &lt; 0 leaves the latency header out. */
    static byte[] event(String runTag, int seq, long publishedMillis) {
        return event(runTag, seq, publishedMillis, false);
    }

    /**
     * As {@link #event(String, int, long)}; {@code high}: a {@code "priority": "HIGH"} email (README, "Priority")
     * whose id says so ({@link #highId}).
     */
    static byte[] event(String runTag, int seq, long publishedMillis, boolean high) {
        Random words = new Random(seq);
        ObjectNode e = JSON.createObjectNode();
        String from = "user" + (seq % 50) + "@customer.example";
        e.put("id", high ? highId(runTag, seq) : id(runTag, seq));
        e.put("tenant", TENANT);
        e.put("from", from);
        e.putArray("to").add("rcpt" + (seq % 1000) + "@example.net");
        e.putArray("cc");
        e.putArray("bcc");
        e.putArray("replyTo").add(from);
        e.put("subject", "Your statement " + seq + ": " + sentence(words, 6));
        e.put("text", paragraphs(words, 900, false));
        e.put("html", paragraphs(words, 900, true));
        ObjectNode headers = e.putObject("headers");
        headers.put("X-Campaign", "bench");
        headers.put(SEQ_HEADER, Integer.toString(seq));
        if (publishedMillis >= 0) {
            headers.put(PUBLISHED_HEADER, Long.toString(publishedMillis));
        }
        e.put("mode", "SEND");
        if (high) {
            e.put("priority", "HIGH");
        }
        e.put("createdAt", Instant.now().toString());
        try {
            return JSON.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The template the templated runs publish (key {@code bench/statement}): it renders what {@link #templated} gives. */
    static final String TEMPLATE_NAME = "statement";

    /** The template record of {@link #TEMPLATE_NAME}, as {@code mail.templates} takes it (CONTRACT.md, "Template record"). */
    static byte[] template() {
        ObjectNode t = JSON.createObjectNode();
        t.put("tenant", TENANT);
        t.put("name", TEMPLATE_NAME);
        t.put("subject", "Your statement {{seq}}: {{title}}");
        t.put("text", "{{#paragraphs}}{{s}}.\n{{/paragraphs}}");
        t.put("html", "{{#paragraphs}}<p>{{s}}.</p>\n{{/paragraphs}}");
        try {
            return JSON.writeValueAsBytes(t);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The same email as {@link #event(String, int, long)} (id, addresses, headers, a subject and bodies of about the
     * same size), as {@link #TEMPLATE_NAME} and its data instead of subject, text and html.
     */
    static byte[] templated(String runTag, int seq, long publishedMillis) {
        try {
            ObjectNode e = (ObjectNode) JSON.readTree(event(runTag, seq, publishedMillis));
            Random words = new Random(seq);
            e.remove(List.of("subject", "text", "html"));
            e.put("template", TEMPLATE_NAME);
            ObjectNode data = e.putObject("data");
            data.put("seq", seq);
            data.put("title", sentence(words, 6));
            var paragraphs = data.putArray("paragraphs");
            for (int chars = 0; chars < 900; ) {
                String s = sentence(words, 12);
                paragraphs.addObject().put("s", s);
                chars += s.length() + 2;
            }
            return JSON.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String id(String runTag, int seq) {
        return "bench-" + runTag + "-" + seq;
    }

    /** The id of a HIGH email: {@code bench-<run>-high-<seq>}, told apart from the normal ones at a glance. */
    static String highId(String runTag, int seq) {
        return "bench-" + runTag + "-high-" + seq;
    }

    /** One event per line (JSON Lines), for the contenders that read no Kafka. */
    static void writeFile(Path file, String runTag, int count) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int seq = 0; seq < count; seq++) {
                w.write(new String(event(runTag, seq, -1), StandardCharsets.UTF_8));
                w.newLine();
            }
        }
    }

    private static String paragraphs(Random words, int chars, boolean html) {
        StringBuilder b = new StringBuilder(chars + 64);
        while (b.length() < chars) {
            String s = sentence(words, 12) + ".";
            b.append(html ? "<p>" + s + "</p>\n" : s + "\n");
        }
        return b.toString();
    }

    private static String sentence(Random words, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(WORDS[words.nextInt(WORDS.length)]);
        }
        b.setCharAt(0, Character.toUpperCase(b.charAt(0)));
        return b.toString();
    }
}
