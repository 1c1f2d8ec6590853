package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.failure.RetryHeaders;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 1: what is written after a send (retry record, pending entry, dead letter, status) stays within
 * the producer's record limit however many and long the recipients a server deferred, and nothing recorded after a
 * send is logged and dropped. TopologyTestDriver does not enforce a record limit: each test measures what the
 * mailer wrote against the limit it was given, as the producer would.
 */
class BigOutcomeTopologyTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    /** What a server like Postfix takes in one transaction before it answers 452 4.5.3. */
    private static final int RCPTS_PER_MESSAGE = 1_000;

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private TopologyFixture fixture;
    private final List<TestRecord<byte[], byte[]>> retried = new ArrayList<>();
    private int limit;

    private void start(int producerLimit) {
        limit = producerLimit;
        Properties p = new Properties();
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(producerLimit));
        fixture = TopologyFixture.inline(transport, topics, metrics, stateDir, START, Map.of(), p);
        fixture.config.pipeInput("default", "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\","
                + "\"postmaster\":\"noreply@example.com\",\"campaignIntervalSeconds\":1,\"maxErrorSeconds\":100000}");
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** 250 characters: a display name with accents and CJK, a 64-character local part, a long domain. */
    static String longRecipient(int i) {
        String local = String.format("r%05d", i) + "x".repeat(58);
        String domain = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(39) + ".example";
        String r = "\"Zoë Ünïcødé 名前\" <" + local + "@" + domain + ">";
        assertThat(Addresses.problem(r)).isNull();
        return r;
    }

    static String emailWith(String id, List<String> to) {
        StringBuilder b = new StringBuilder("{\"id\":\"").append(id).append("\",\"from\":\"alice@example.com\",\"to\":[");
        for (int i = 0; i < to.size(); i++) {
            b.append(i == 0 ? "" : ",").append('"').append(to.get(i).replace("\"", "\\\"")).append('"');
        }
        return b.append("],\"subject\":\"Big ").append(id).append("\",\"text\":\"Hi\"}").toString();
    }

    private void publish(String id, String json) {
        fixture.outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Moves the wall clock; what went to the retry topic comes back in, each record measured first. */
    private void tick(Duration d) {
        fixture.driver.advanceWallClockTime(d);
        while (!fixture.retryOut.isEmpty()) {
            TestRecord<byte[], byte[]> r = fixture.retryOut.readRecord();
            assertThat(RecordLimit.size(r.key(), r.value(), r.headers())).as("retry record within the limit")
                    .isLessThanOrEqualTo(limit);
            retried.add(r);
            fixture.retryIn.pipeInput(r);
        }
    }

    /** A server that takes the first 1,000 recipients of each message and answers 452 4.5.3 to the rest. */
    private Map<String, Integer> postfixLike() {
        Map<String, Integer> delivered = new HashMap<>();
        transport.answer = e -> {
            List<String> all = new ArrayList<>();
            all.addAll(e.to());
            all.addAll(e.cc());
            all.addAll(e.bcc());
            List<String> bare = all.stream().map(Addresses::bareAddress).toList();
            bare.stream().limit(RCPTS_PER_MESSAGE).forEach(a -> delivered.merge(a, 1, Integer::sum));
            List<String> deferred = bare.size() > RCPTS_PER_MESSAGE
                    ? bare.subList(RCPTS_PER_MESSAGE, bare.size()) : List.of();
            return new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of(), deferred,
                    deferred.isEmpty() ? null : "452 4.5.3 Too many recipients");
        };
        return delivered;
    }

    @Test
    void shouldDeliverTenThousandLongRecipientsExactlyOnceThroughRetriesThatFitTheLimit() {
        List<String> to = IntStream.range(0, 10_000).mapToObj(BigOutcomeTopologyTest::longRecipient).toList();
        byte[] value = emailWith("big", to).getBytes(StandardCharsets.UTF_8);
        // The mailer's own sizing: the outbox's limit (here: just this email) plus 10 %.
        start(value.length + value.length / 10);
        Map<String, Integer> delivered = postfixLike();
        fixture.outbox.pipeInput("big".getBytes(StandardCharsets.UTF_8), value);

        for (int i = 0; i < 40 && delivered.size() < to.size(); i++) {
            tick(Duration.ofSeconds(30));
        }

        assertThat(delivered).hasSize(10_000);
        assertThat(delivered.values()).as("nobody twice").containsOnly(1);
        assertThat(transport.sent).as("one message per 1,000").hasSize(10);
        assertThat(retried).hasSize(9).allSatisfy(r -> {
            assertThat(r.headers().lastHeader(RetryHeaders.RECIPIENTS)).as("no list of 2 MB").isNull();
            assertThat(r.headers().lastHeader(RetryHeaders.RECIPIENT_POSITIONS)).isNotNull();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("big");
        });
        assertThat(fixture.dlq.isEmpty()).isTrue();
        List<StatusEvent> s = fixture.status.readValuesToList().stream().map(StatusEventJson::parse).toList();
        assertThat(s).extracting(StatusEvent::status).containsOnly(Status.RETRY_SCHEDULED, Status.SENT);
        assertThat(s.get(s.size() - 1).status()).isEqualTo(Status.SENT);
        assertThat(s).allSatisfy(e -> assertThat(e.error() == null ? 0 : e.error().length()).isLessThan(2100));
    }

    @Test
    void shouldListShortDeferredListsAsTheyAre() {
        start(1_048_576);
        transport.answer = e -> e.to().size() > 1
                ? new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of(),
                List.of("carol@example.com"), "452 4.5.3 Too many recipients")
                : new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        publish("p1", emailWith("p1", List.of("bob@example.com", "Carol <carol@example.com>")));
        tick(Duration.ofSeconds(1));

        assertThat(retried).singleElement().satisfies(r -> {
            assertThat(header(r, RetryHeaders.RECIPIENTS)).isEqualTo("carol@example.com");
            assertThat(r.headers().lastHeader(RetryHeaders.RECIPIENT_POSITIONS)).isNull();
        });
        tick(Duration.ofSeconds(5));
        assertThat(transport.sent).hasSize(2);
        assertThat(transport.sent.get(1).to()).containsExactly("carol@example.com");
    }

    @Test
    void shouldCutTheDeadLetterListToTheLimitAndNameEveryoneAsBits() {
        List<String> to = IntStream.range(0, 10_000).mapToObj(BigOutcomeTopologyTest::longRecipient).toList();
        byte[] value = emailWith("gone", to).getBytes(StandardCharsets.UTF_8);
        start(value.length + value.length / 10);
        fixture.config.pipeInput("default", "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\","
                + "\"postmaster\":\"noreply@example.com\",\"campaignIntervalSeconds\":1,\"maxErrorSeconds\":5}");
        Map<String, Integer> delivered = postfixLike();
        fixture.outbox.pipeInput("gone".getBytes(StandardCharsets.UTF_8), value);
        tick(Duration.ofSeconds(1));
        transport.answer = e -> new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT,
                "451 4.3.0 Try again later", false);
        for (int i = 0; i < 10 && fixture.dlq.isEmpty(); i++) {
            tick(Duration.ofSeconds(10));
        }

        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(RecordLimit.size(dead.key(), dead.value(), dead.headers())).isLessThanOrEqualTo(limit);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("EXPIRED");
        List<String> stillDue = to.subList(RCPTS_PER_MESSAGE, to.size()).stream().map(Addresses::bareAddress).toList();
        String[] lines = header(dead, DeadLetterHeaders.UNDELIVERED_RECIPIENTS).split("\n");
        int listed = lines.length - 1;
        assertThat(listed).as("as many as fit, whole").isGreaterThan(100).isLessThan(stillDue.size());
        assertThat(List.of(lines).subList(0, listed)).containsExactlyElementsOf(stillDue.subList(0, listed));
        assertThat(lines[listed]).isEqualTo("(and " + (stillDue.size() - listed) + " more, past the record limit: "
                + DeadLetterHeaders.UNDELIVERED_POSITIONS + " names them all)");
        byte[] bits = Base64.getDecoder().decode(dead.headers().lastHeader(DeadLetterHeaders.UNDELIVERED_POSITIONS)
                .value());
        assertThat(RecipientPositions.read(value, bits)).containsExactlyElementsOf(stillDue);
        assertThat(delivered).hasSize(RCPTS_PER_MESSAGE);
    }

    @Test
    void shouldDeadLetterARetryThatCannotBeWrittenRatherThanDropItAndGoOn() {
        start(1_048_576);
        // A transport naming a deferred "recipient" the pending entry can't hold (over 65,535 bytes): recording
        // the retry fails after the email's sent id is remembered and its pending entry deleted.
        String monster = "m".repeat(70_000) + "@example.com";
        transport.answer = e -> e.id().equals("odd") && e.to().size() > 1
                ? new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of(), List.of(monster),
                "452 4.5.3 Too many recipients")
                : new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        publish("odd", emailWith("odd", List.of("bob@example.com", "carol@example.com")));
        publish("next", emailWith("next", List.of("dan@example.com")));
        tick(Duration.ofSeconds(1));
        tick(Duration.ofSeconds(1));

        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("odd");
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("PERMANENT");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).startsWith("its outcome could not be recorded");
        assertThat(header(dead, DeadLetterHeaders.UNDELIVERED_RECIPIENTS)).isEqualTo(monster);
        assertThat(transport.sentIds()).containsExactlyInAnyOrder("odd", "next");
        assertThat(metrics.count(MailerMetrics.RECORDING_ERRORS, "tenant", "default")).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterADeferredListThatNoRetryRecordCanHoldWithWhy() {
        // Deferred addresses that are not the email's own can only be listed: 12 kB of them against a limit that
        // leaves the email 4 kB.
        List<String> strangers = IntStream.range(0, 60).mapToObj(i -> "s" + i + "x".repeat(190) + "@other.example")
                .toList();
        byte[] value = emailWith("s1", List.of("bob@example.com", "carol@example.com")).getBytes(StandardCharsets.UTF_8);
        start(value.length + 4_000);
        transport.answer = e -> e.to().size() > 1
                ? new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of(), strangers,
                "452 4.5.3 Too many recipients")
                : new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        fixture.outbox.pipeInput("s1".getBytes(StandardCharsets.UTF_8), value);
        tick(Duration.ofSeconds(1));

        assertThat(retried).isEmpty();
        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(RecordLimit.size(dead.key(), dead.value(), dead.headers())).isLessThanOrEqualTo(limit);
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("PERMANENT");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).startsWith("cannot be retried: its retry record would be")
                .contains("max.request.size");
        assertThat(header(dead, DeadLetterHeaders.UNDELIVERED_RECIPIENTS)).endsWith("more, past the record limit)");
    }

    @Test
    void shouldDeadLetterARetryRecordWhoseRecipientBitsNameNobodyOfTheEmail() {
        start(1_048_576);
        byte[] value = emailWith("r1", List.of("bob@example.com")).getBytes(StandardCharsets.UTF_8);
        TestRecord<byte[], byte[]> forged = new TestRecord<>("r1".getBytes(StandardCharsets.UTF_8), value);
        forged.headers().add(RetryHeaders.ATTEMPTS, "1".getBytes(StandardCharsets.UTF_8));
        forged.headers().add(RetryHeaders.FIRST_FAILURE, START.toString().getBytes(StandardCharsets.UTF_8));
        forged.headers().add(RetryHeaders.NEXT_ATTEMPT, START.toString().getBytes(StandardCharsets.UTF_8));
        // Bit 9 of an email with one recipient.
        forged.headers().add(RetryHeaders.RECIPIENT_POSITIONS, Base64.getEncoder().encode(new byte[] {0, 2}));
        fixture.retryIn.pipeInput(forged);
        tick(Duration.ofSeconds(1));

        TestRecord<byte[], byte[]> dead = fixture.dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.KIND)).isEqualTo("INVALID");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains(RetryHeaders.RECIPIENT_POSITIONS);
        assertThat(transport.sent).isEmpty();
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
