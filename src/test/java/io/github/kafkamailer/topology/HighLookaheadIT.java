package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.app.LookaheadSetup;
import io.github.kafkamailer.it.SharedBroker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read ahead of a lagging intake ({@link HighLookahead}) against the real broker, driven turn by turn through
 * {@code check()} and {@code step()} (no thread of its own): its consumer built as the mailer builds it, the intake's
 * committed offsets and the partitions it owns given by the test. Topics of its own: an outbox of two partitions,
 * the HIGH repartition of three.
 */
class HighLookaheadIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella");

    private String appId;
    private String outbox;
    private String highTopic;
    private String scratch;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> forwarder;
    private HighLookahead lookahead;
    /** The intake's committed offsets, as the test moves them. */
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    /** The outbox partitions whose intake runs "here". */
    private volatile Set<Integer> owned = Set.of(0, 1);

    @BeforeEach
    void setUp() throws Exception {
        String prefix = "lookahead" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
        appId = prefix + "-mailer";
        outbox = prefix + ".outbox";
        highTopic = HighPath.topic(appId);
        scratch = prefix + ".scratch";
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        admin = Admin.create(a);
        admin.createTopics(List.of(new NewTopic(outbox, 2, (short) 1), new NewTopic(highTopic, 3, (short) 1),
                new NewTopic(scratch, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Plain, as the harness's: not idempotent, one request in flight (see MailerHarness on a fresh partition). */
    private static Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    /** The look-ahead over this test's topics; {@code maxPollRecords} 0 keeps the mailer's setting. */
    /** Still unless a test moves it (the intake is late by the clock only where a test makes it so); a minute ahead, so
     * that the records published now are not ahead of it. */
    private final io.github.kafkamailer.testing.MutableClock clock =
            new io.github.kafkamailer.testing.MutableClock(java.time.Instant.now().plusSeconds(60));

    private void startLookahead(int maxPollRecords) {
        startLookahead(maxPollRecords, new HighInbox());
    }

    /** As above, handing to the sending tasks registered in {@code inbox} (none: every copy is written). */
    private void startLookahead(int maxPollRecords, HighInbox inbox) {
        Properties streams = new Properties();
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        Properties c = LookaheadSetup.consumerProperties(streams, appId);
        assertThat(c).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (maxPollRecords > 0) {
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        }
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        forwarder = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        lookahead = new HighLookahead(consumer, forwarder, outbox, appId, () -> owned,
                partitions -> {
                    Map<TopicPartition, Long> out = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        if (committed.containsKey(tp)) {
                            out.put(tp, committed.get(tp));
                        }
                    }
                    return out;
                }, clock, inbox);
    }

    @AfterEach
    void tearDown() {
        if (lookahead != null) {
            lookahead.close();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    private TopicPartition outbox(int partition) {
        return new TopicPartition(outbox, partition);
    }

    private static String normal(String id, String tenant) {
        return TopologyFixture.email(id, tenant);
    }

    private static String high(String id, String tenant) {
        return TopologyFixture.email(id, tenant).replace("\"text\":\"Hi\"", "\"text\":\"Hi\",\"priority\":\"HIGH\"");
    }

    private RecordMetadata publish(int partition, String key, String value, Header... headers) throws Exception {
        return producer.send(new ProducerRecord<>(outbox, partition, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), List.of(headers))).get(30, TimeUnit.SECONDS);
    }

    /** {@code n} NORMAL emails on {@code partition}: the intake's backlog. */
    private void backlog(int partition, int n) {
        for (int i = 0; i < n; i++) {
            String id = "n-" + partition + "-" + UUID.randomUUID();
            producer.send(new ProducerRecord<>(outbox, partition, id.getBytes(StandardCharsets.UTF_8),
                    normal(id, "acme").getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    private Map<TopicPartition, Long> ends() {
        return consumer.endOffsets(List.of(outbox(0), outbox(1)));
    }

    /** Turns of the look-ahead until {@code done}, at most {@link #WAIT}. */
    private void stepUntil(String what, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("the look-ahead " + what + " within " + WAIT).isNegative();
            lookahead.step();
        }
    }

    /** True once the look-ahead read {@code partitions} up to their ends (as a read-committed reader sees them). */
    private boolean readToTheEnd(Map<TopicPartition, Long> ends, int... partitions) {
        for (int p : partitions) {
            TopicPartition tp = outbox(p);
            if (!consumer.assignment().contains(tp) || consumer.position(tp) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }

    /** Everything on the HIGH repartition, once what the look-ahead sent was acknowledged. */
    private List<ConsumerRecord<byte[], byte[]>> forwardedRecords() {
        forwarder.flush();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = List.of(new TopicPartition(highTopic, 0), new TopicPartition(highTopic, 1),
                    new TopicPartition(highTopic, 2));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime() - deadline).as("the HIGH repartition read within " + WAIT).isNegative();
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** What the look-ahead counts as forwarded, once its writes so far were acknowledged. */
    private long forwarded() {
        forwarder.flush();
        return lookahead.forwarded();
    }

    private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> PendingEmailSerde.read(r.value()).emailId()).toList();
    }

    /** The partition a plain producer (default partitioner, no partition given) writes the tenant's key to. */
    private int partitionOf(String tenant) throws Exception {
        return producer.send(new ProducerRecord<>(scratch, tenant.getBytes(StandardCharsets.UTF_8), new byte[0]))
                .get(30, TimeUnit.SECONDS).partition();
    }

    @Test
    void shouldForwardExactlyTheValidHighEmailsWhileTheIntakeIsFarBehind() throws Exception {
        Map<String, RecordMetadata> valid = new HashMap<>();
        Header trace = new RecordHeader("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
        valid.put("a1", publish(0, "a1", high("a1", "acme"), trace));
        publish(0, "n1", normal("n1", "acme"));
        // NORMAL, though its bytes hold HIGH: parsed, and passed over.
        publish(0, "n2", normal("n2", "acme").replace("Hello", "HIGH"));
        // The intake refuses these three: its rule is the look-ahead's.
        publish(0, "not-k1", high("k1", "acme"));
        publish(0, "g1", "HIGH, but no JSON");
        publish(0, "g2", "{\"id\":\"g2\",\"tenant\":\"acme\",\"priority\":\"HIGH\"}");
        Properties tx = producerProperties();
        tx.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        tx.remove(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, appId + "-test-tx");
        try (KafkaProducer<byte[], byte[]> aborting = new KafkaProducer<>(tx, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            aborting.initTransactions();
            aborting.beginTransaction();
            aborting.send(new ProducerRecord<>(outbox, 0, "x1".getBytes(StandardCharsets.UTF_8),
                    high("x1", "acme").getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            aborting.abortTransaction();
        }
        valid.put("b1", publish(0, "b1", high("b1", "globex")));
        backlog(0, 250);
        valid.put("c1", publish(1, "c1", high("c1", "initech")));
        valid.put("d1", publish(1, "d1", high("d1", "umbrella")));
        backlog(1, 250);
        committed.put(outbox(0), 0L);
        committed.put(outbox(1), 0L);
        startLookahead(0);

        Map<TopicPartition, Long> ends = ends();
        lookahead.check();
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(outbox(0), outbox(1));
        stepUntil("read both partitions", () -> readToTheEnd(ends, 0, 1));

        assertThat(forwarded()).isEqualTo(4);
        List<ConsumerRecord<byte[], byte[]>> forwarded = forwardedRecords();
        assertThat(ids(forwarded)).containsExactlyInAnyOrder("a1", "b1", "c1", "d1");
        Set<Integer> partitions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : forwarded) {
            PendingEmail email = PendingEmailSerde.read(r.value());
            RecordMetadata original = valid.get(email.emailId());
            String tenant = email.tenant();
            assertThat(tenant).isIn(TENANTS);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(tenant);
            assertThat(r.partition()).as("partition of tenant %s", tenant).isEqualTo(partitionOf(tenant));
            partitions.add(r.partition());
            assertThat(r.timestamp()).isEqualTo(HighPath.HIGH_FIRST);
            assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(email.isHigh()).isTrue();
            assertThat(email.source()).isEqualTo(outbox + "/" + original.partition() + "/" + original.offset());
            assertThat(email.acceptedAt().toEpochMilli()).isEqualTo(original.timestamp());
            assertThat(email.attempts()).isZero();
            assertThat(new String(email.value(), StandardCharsets.UTF_8))
                    .isEqualTo(high(email.emailId(), tenant));
            if (email.emailId().equals("a1")) {
                assertThat(r.headers().toArray()).containsExactly(trace);
            } else {
                assertThat(r.headers().toArray()).isEmpty();
            }
        }
        // The tenants spread over the repartition: a partitioning of the look-ahead's own would show.
        assertThat(partitions).hasSizeGreaterThan(1);

        // The intake still far behind, where it was: the look-ahead goes on from its own place, not again.
        lookahead.check();
        for (int i = 0; i < 3; i++) {
            lookahead.step();
        }
        assertThat(forwarded()).isEqualTo(4);
        assertThat(ids(forwardedRecords())).hasSize(4);
    }

    @Test
    void shouldForwardNothingWhileTheIntakeIsWithinBehindOfTheEnd() throws Exception {
        backlog(0, 250);
        publish(0, "late", high("late", "acme"));
        publish(1, "other", high("other", "globex"));
        backlog(1, 10);
        startLookahead(0);
        Map<TopicPartition, Long> ends = ends();

        committed.putAll(ends);
        lookahead.check();
        lookahead.step();
        assertThat(consumer.assignment()).isEmpty();
        assertThat(forwarded()).isZero();

        committed.put(outbox(0), ends.get(outbox(0)) - HighLookahead.BEHIND);
        lookahead.check();
        lookahead.step();
        assertThat(consumer.assignment()).isEmpty();
        assertThat(forwarded()).isZero();
        assertThat(forwardedRecords()).isEmpty();

        // One record more behind: the look-ahead reads that partition, and only that one.
        committed.put(outbox(0), ends.get(outbox(0)) - HighLookahead.BEHIND - 1);
        lookahead.check();
        assertThat(consumer.assignment()).containsExactly(outbox(0));
        assertThat(consumer.position(outbox(0))).isEqualTo(ends.get(outbox(0)) - HighLookahead.BEHIND - 1);
        stepUntil("read partition 0", () -> readToTheEnd(ends, 0));
        assertThat(forwarded()).isEqualTo(1);
        assertThat(ids(forwardedRecords())).containsExactly("late");

        // The intake caught up again: the look-ahead stops reading.
        committed.put(outbox(0), ends.get(outbox(0)));
        lookahead.check();
        assertThat(consumer.assignment()).isEmpty();
    }

    @Test
    void shouldReadAheadOfAnIntakeThatIsLateThoughFewRecordsBehind() throws Exception {
        backlog(0, 5);
        publish(0, "slow", high("slow", "acme"));
        startLookahead(0);
        Map<TopicPartition, Long> ends = ends();
        committed.put(outbox(0), ends.get(outbox(0)) - 3); // a few records behind: not by count
        lookahead.check();
        assertThat(consumer.assignment()).isEmpty();

        clock.advance(HighLookahead.LATE.minusMillis(1));
        lookahead.check();
        assertThat(consumer.assignment()).as("not late yet").isEmpty();

        // The intake still hasn't reached the end it had LATE ago: the look-ahead reads and finds the HIGH email.
        clock.advance(Duration.ofMillis(1));
        lookahead.check();
        assertThat(consumer.assignment()).containsExactly(outbox(0));
        stepUntil("read partition 0", () -> readToTheEnd(ends, 0));
        assertThat(ids(forwardedRecords())).containsExactly("slow");

        // It reached that end: no longer late.
        committed.put(outbox(0), ends.get(outbox(0)));
        clock.advance(HighLookahead.LATE);
        lookahead.check();
        assertThat(consumer.assignment()).isEmpty();
    }

    @Test
    void shouldGoOnFromTheIntakesOffsetWhenTheIntakeMovesAheadOfIt() throws Exception {
        publish(0, "early", high("early", "acme"));
        backlog(0, 300);
        RecordMetadata passed = publish(0, "passed", high("passed", "acme"));
        backlog(0, 100);
        publish(0, "ahead", high("ahead", "globex"));
        backlog(0, 250);
        owned = Set.of(0);
        committed.put(outbox(0), 0L);
        // One record a turn: the test sees the look-ahead between records.
        startLookahead(1);
        Map<TopicPartition, Long> ends = ends();

        lookahead.check();
        stepUntil("forward the first HIGH email", () -> forwarded() == 1);
        assertThat(consumer.position(outbox(0))).isLessThan(passed.offset());

        // The intake moved past "passed" meanwhile: the look-ahead leaves it to the intake.
        long intakeAt = passed.offset() + 1;
        committed.put(outbox(0), intakeAt);
        lookahead.check();
        assertThat(consumer.position(outbox(0))).isEqualTo(intakeAt);
        stepUntil("read partition 0", () -> readToTheEnd(ends, 0));

        assertThat(forwarded()).isEqualTo(2);
        assertThat(ids(forwardedRecords())).containsExactlyInAnyOrder("early", "ahead");
    }

    @Test
    void shouldNotCountACopyWhoseWriteFailed() throws Exception {
        // The HIGH repartition refuses every record now: too large for it.
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, highTopic), List.of(
                new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64"),
                        AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        publish(0, "refused", high("refused", "acme"));
        backlog(0, 250);
        publish(0, "also-refused", high("also-refused", "globex"));
        owned = Set.of(0);
        committed.put(outbox(0), 0L);
        startLookahead(0);
        Map<TopicPartition, Long> ends = ends();

        lookahead.check();
        stepUntil("read partition 0", () -> readToTheEnd(ends, 0));

        // It went on past the failed write; nothing was put ahead of the intake, and it says so.
        assertThat(forwarded()).isZero();
        assertThat(forwardedRecords()).isEmpty();
    }

    @Test
    void shouldHandAHighEmailInMemoryToItsSendingTaskWhenThatTaskRunsHere() throws Exception {
        String here = "acme";
        int herePartition = partitionOf(here);
        String elsewhere = null;
        for (String tenant : TENANTS) {
            if (partitionOf(tenant) != herePartition) {
                elsewhere = tenant;
            }
        }
        assertThat(elsewhere).isNotNull();
        HighInbox inbox = new HighInbox();
        Queue<PendingEmail> task = inbox.register(herePartition);
        RecordMetadata handed = publish(0, "handed", high("handed", here));
        publish(0, "written", high("written", elsewhere));
        backlog(0, 250);
        owned = Set.of(0);
        committed.put(outbox(0), 0L);
        startLookahead(0, inbox);
        Map<TopicPartition, Long> ends = ends();

        lookahead.check();
        stepUntil("read partition 0", () -> readToTheEnd(ends, 0));

        assertThat(forwarded()).isEqualTo(2);
        // Its tenant's sending task runs here: in memory, not on the repartition.
        PendingEmail email = inbox.take(task);
        assertThat(email).as("handed to the task in memory").isNotNull();
        assertThat(email.emailId()).isEqualTo("handed");
        assertThat(email.isHigh()).isTrue();
        assertThat(email.source()).isEqualTo(outbox + "/0/" + handed.offset());
        assertThat(inbox.take(task)).isNull();
        // The other's task runs elsewhere: written.
        assertThat(ids(forwardedRecords())).containsExactly("written");
    }

    @Test
    void shouldReadNothingWhileNoIntakePartitionRunsHere() throws Exception {
        publish(0, "h0", high("h0", "acme"));
        backlog(0, 250);
        publish(1, "h1", high("h1", "globex"));
        backlog(1, 250);
        committed.put(outbox(0), 0L);
        committed.put(outbox(1), 0L);
        owned = Set.of();
        startLookahead(0);
        Map<TopicPartition, Long> ends = ends();

        lookahead.check();
        lookahead.step();
        assertThat(consumer.assignment()).isEmpty();
        assertThat(forwarded()).isZero();
        assertThat(forwardedRecords()).isEmpty();

        // Streams runs partition 1's intake here now: that partition only.
        owned = Set.of(1);
        lookahead.check();
        assertThat(consumer.assignment()).containsExactly(outbox(1));
        stepUntil("read partition 1", () -> readToTheEnd(ends, 1));
        assertThat(ids(forwardedRecords())).containsExactly("h1");

        owned = Set.of();
        lookahead.check();
        assertThat(consumer.assignment()).isEmpty();
    }
}
