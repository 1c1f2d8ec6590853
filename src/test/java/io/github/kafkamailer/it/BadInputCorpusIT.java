package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of broken outbox records, each breaking one rule of CONTRACT.md ("Email event"), on a real broker
 * and a real SMTP server: every one must reach the dead-letter topic once, as INVALID, with its key and value
 * bytes untouched and a reason naming what is wrong, and the mailer must go on sending the next valid email.
 */
class BadInputCorpusIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GOOD_ID = "good-after-bad";
    private static final String NOT_UTF8 = "<not-utf8>";

    @TempDir
    Path stateDir;

    private MailerHarness mailer;
    private EmbeddedSmtpServer smtp;

    /**
     * One bad outbox record. Every case but the missing-key one has a key of its own, which is how its dead
     * letter is found; {@code fragment} is a piece of {@code mailer.error.message} that names the problem.
     */
    private record Case(String name, byte[] key, byte[] value, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(stateDir);
        smtp = EmbeddedSmtpServer.start(0);
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        smtp.close();
    }

    @Test
    void shouldDeadLetterEveryKindOfBadInputUnchangedAndKeepSending() throws Exception {
        List<Case> cases = corpus();
        mailer.start();
        mailer.publishConfig("default", config(smtp.port(), ""));
        for (Case c : cases) {
            mailer.send(mailer.topics.outbox(), c.key(), c.value());
        }
        mailer.publishEmail(GOOD_ID, email(GOOD_ID, ""));

        await().atMost(WAIT).until(() -> receivedSubjects().contains("Subject " + GOOD_ID));

        MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
        await().atMost(WAIT).untilAsserted(() -> assertThat(notDeadLettered(cases, dlq.poll()))
                .as("bad records that never reached %s", mailer.topics.dlq())
                .isEmpty());

        MailerHarness.TopicReader outbox = mailer.reader(mailer.topics.outbox());
        await().atMost(WAIT).until(() -> outbox.poll().size() == cases.size() + 1);
        Map<String, String> sourceOf = new LinkedHashMap<>();
        outbox.poll().forEach(r -> sourceOf.put(keyOf(r.key()), r.topic() + "/" + r.partition() + "/" + r.offset()));

        List<ConsumerRecord<byte[], byte[]>> dead = dlq.poll();
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            List<ConsumerRecord<byte[], byte[]>> mine = dead.stream().filter(r -> Arrays.equals(r.key(), c.key())).toList();
            softly.assertThat(mine).as("%s: dead letters", c).hasSize(1);
            if (mine.size() != 1) {
                continue;
            }
            ConsumerRecord<byte[], byte[]> d = mine.get(0);
            softly.assertThat(d.key()).as("%s: key", c).isEqualTo(c.key());
            softly.assertThat(d.value()).as("%s: value", c).isEqualTo(c.value());
            softly.assertThat(header(d, DeadLetterHeaders.KIND)).as("%s: %s", c, DeadLetterHeaders.KIND)
                    .isEqualTo("INVALID");
            softly.assertThat(header(d, DeadLetterHeaders.ATTEMPTS)).as("%s: %s", c, DeadLetterHeaders.ATTEMPTS)
                    .isEqualTo("0");
            softly.assertThat(header(d, DeadLetterHeaders.SOURCE)).as("%s: %s", c, DeadLetterHeaders.SOURCE)
                    .matches(java.util.regex.Pattern.quote(mailer.topics.outbox()) + "/\\d+/\\d+")
                    .isEqualTo(sourceOf.get(keyOf(c.key())));
            softly.assertThat(header(d, DeadLetterHeaders.MESSAGE)).as("%s: %s", c, DeadLetterHeaders.MESSAGE)
                    .contains(c.fragment());
        }
        softly.assertThat(dead).as("dead letters in all (the valid email must not be one)").hasSize(cases.size());
        softly.assertAll();
    }

    /** The bad records, each a valid event but for one thing, so that its reason is the one expected. */
    private static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        // Not a JSON object at all.
        add(cases, "not-json", k -> utf8("this is not JSON"), "value: ");
        add(cases, "truncated-json", k -> utf8("{\"id\":\"" + k + "\",\"to\":["), "value: ");
        add(cases, "json-array", k -> utf8("[" + event(k) + "]"), "value: ");
        add(cases, "json-string", k -> utf8("\"" + k + "\""), "value: ");
        add(cases, "json-null", k -> utf8("null"), "value: ");
        add(cases, "empty-bytes", k -> new byte[0], "value: ");
        add(cases, "tombstone", k -> null, "value: ");
        add(cases, "invalid-utf8", k -> invalidUtf8(event(k, "subject", "\"Caf" + NOT_UTF8 + "\"")), "UTF-8");
        add(cases, "duplicate-keys", k -> utf8(event(k).replaceFirst("\\}$", ",\"subject\":\"second\"}")),
                "duplicate field 'subject'");
        add(cases, "trailing-garbage", k -> utf8(event(k) + " {\"id\":\"" + k + "\"}"), "value: ");
        // Wrong types.
        add(cases, "to-as-string", k -> utf8(event(k, "to", "\"bob@example.com\"")), "to: ");
        add(cases, "to-item-as-number", k -> utf8(event(k, "to", "[42]")), "to[0]: ");
        add(cases, "subject-as-number", k -> utf8(event(k, "subject", "42")), "subject: ");
        add(cases, "id-as-number", k -> utf8(event(k, "id", "7")), "id: ");
        add(cases, "headers-as-list", k -> utf8(event(k, "headers", "[\"X-Campaign: november\"]")), "headers: ");
        add(cases, "attachments-as-object", k -> utf8(event(k, "attachments",
                "{\"filename\":\"a.pdf\",\"contentType\":\"application/pdf\",\"contentBase64\":\"QUJD\"}")),
                "attachments: ");
        // Recipients and addresses.
        add(cases, "no-recipient", k -> utf8(event(k, "to", null)), "to: ");
        add(cases, "empty-recipient-lists", k -> utf8(event(k, "to", "[]", "cc", "[]", "bcc", "[]")), "to: ");
        add(cases, "to-with-spaces", k -> utf8(event(k, "to", "[\"bob@example.com\",\"bob smith@example.com\"]")),
                "to[1]: ");
        add(cases, "cc-without-domain", k -> utf8(event(k, "cc", "[\"carol@\"]")), "cc[0]: ");
        add(cases, "bcc-without-at", k -> utf8(event(k, "bcc", "[\"dave.example.com\"]")), "bcc[0]: ");
        add(cases, "replyTo-with-spaces", k -> utf8(event(k, "replyTo", "[\"team@exa mple.com\"]")), "replyTo[0]: ");
        add(cases, "from-without-domain", k -> utf8(event(k, "from", "\"alice@\"")), "from: ");
        // Header injection.
        add(cases, "subject-with-crlf", k -> utf8(event(k, "subject", "\"Hi\\r\\nBcc: victim@example.com\"")),
                "subject: ");
        add(cases, "header-value-with-crlf", k -> utf8(event(k, "headers",
                "{\"X-Bad\":\"november\\r\\nBcc: victim@example.com\"}")), "headers.X-Bad: ");
        add(cases, "header-name-with-colon", k -> utf8(event(k, "headers", "{\"X-Bad:Name\":\"v\"}")),
                "headers.X-Bad:Name");
        add(cases, "reserved-header", k -> utf8(event(k, "headers", "{\"Subject\":\"override\"}")),
                "headers.Subject: ");
        // Other fields.
        add(cases, "unknown-mode", k -> utf8(event(k, "mode", "\"FAX\"")), "mode: ");
        add(cases, "attachment-not-base64", k -> utf8(event(k, "attachments",
                "[{\"filename\":\"a.pdf\",\"contentType\":\"application/pdf\",\"contentBase64\":\"not base64!\"}]")),
                "attachments[0].contentBase64: ");
        add(cases, "attachment-without-filename", k -> utf8(event(k, "attachments",
                "[{\"contentType\":\"application/pdf\",\"contentBase64\":\"QUJD\"}]")), "attachments[0].filename: ");
        add(cases, "no-id", k -> utf8(event(k, "id", null)), "id: ");
        add(cases, "blank-id", k -> utf8(event(k, "id", "\"   \"")), "id: ");
        add(cases, "id-differs-from-key", k -> utf8(event(k, "id", "\"someone-else\"")), "id: 'someone-else'");
        add(cases, "huge-subject", k -> utf8(event(k, "subject", "\"" + "x".repeat(100 * 1024) + "\"")),
                "subject: ");
        add(cases, "no-subject", k -> utf8(event(k, "subject", null)), "subject: ");
        add(cases, "neither-text-nor-html", k -> utf8(event(k, "text", null)), "text: ");
        add(cases, "unknown-field", k -> utf8(event(k, "urgency", "\"high\"")), "urgency: ");
        add(cases, "createdAt-not-iso", k -> utf8(event(k, "createdAt", "\"26/11/2026 10:00\"")), "createdAt: ");
        add(cases, "tenant-with-control", k -> utf8(event(k, "tenant", "\"acme\\u0007\"")), "tenant: ");
        add(cases, "subject-with-line-separator", k -> utf8(event(k, "subject", "\"a\\u2028b\"")), "subject: ");
        add(cases, "header-with-nul", k -> utf8(event(k, "headers", "{\"X-Nul\":\"a\\u0000b\"}")), "headers.X-Nul: ");
        // A key that is not UTF-8 could match an id only by a lenient decoding: different keys, one id.
        cases.add(new Case("key-not-utf8", new byte[] {(byte) 0xFF, 'k'}, utf8(event("\uFFFDk")), "key: "));
        // The one without a key: a valid event that cannot be deduplicated.
        cases.add(new Case("missing-key", null, utf8(event("bad-missing-key")), "key: "));
        return cases;
    }

    private static void add(List<Case> cases, String name, java.util.function.Function<String, byte[]> value,
                            String fragment) {
        String key = "bad-" + name;
        cases.add(new Case(name, utf8(key), value.apply(key), fragment));
    }

    /**
     * A valid email event for {@code id}, with changes as pairs of a field name and its raw JSON value; a null
     * value removes the field.
     */
    private static String event(String id, String... changes) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "\"" + id + "\"");
        fields.put("tenant", "\"default\"");
        fields.put("from", "\"alice@company.example\"");
        fields.put("to", "[\"bob@example.com\"]");
        fields.put("subject", "\"Subject " + id + "\"");
        fields.put("text", "\"Body of " + id + "\"");
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                fields.remove(changes[i]);
            } else {
                fields.put(changes[i], changes[i + 1]);
            }
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                .append("\":").append(value));
        return json.append('}').toString();
    }

    /** The event's bytes with {@link #NOT_UTF8} replaced by 0xFF 0xFE, bytes that UTF-8 never contains. */
    private static byte[] invalidUtf8(String json) {
        int at = json.indexOf(NOT_UTF8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(json.substring(0, at)));
        out.write(0xFF);
        out.write(0xFE);
        out.writeBytes(utf8(json.substring(at + NOT_UTF8.length())));
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String keyOf(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    private static List<String> notDeadLettered(List<Case> cases, List<ConsumerRecord<byte[], byte[]>> dead) {
        return cases.stream()
                .filter(c -> dead.stream().noneMatch(r -> Arrays.equals(r.key(), c.key())))
                .map(Case::name)
                .toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private List<String> receivedSubjects() {
        return smtp.received().stream().map(m -> {
            try {
                return Objects.toString(m.getSubject());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
