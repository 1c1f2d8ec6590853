package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.sending.SenderFactory;
import io.github.kafkamailer.sending.TenantActivity;
import io.github.kafkamailer.sending.TenantSender;
import io.github.kafkamailer.transport.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task moving while emails are in flight: the old owner marks what it hands out, waits for those outcomes when
 * it is closed and hands them over; the new owner holds the marked emails back, records what was sent there and
 * sends only what was not (CONTRACT: duplicates after a crash only).
 */
class HandoverTopologyTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final String APP = TopologyFixture.APPLICATION_ID;

    @TempDir
    Path stateDir;

    private final TopicNames topics = TopicNames.defaults();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final List<ProducerRecord<byte[], byte[]>> published = new CopyOnWriteArrayList<>();
    private final HandoverPublisher capture = new HandoverPublisher() {
        @Override
        public void send(ProducerRecord<byte[], byte[]> record) {
            published.add(record);
        }

        @Override
        public void flush() {
        }
    };
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(TopologyTestDriver::close);
    }

    /**
     * Senders that hold every job until the run is halted (the task closing); then, on a thread of their own, e1
     * comes back delivered, e2 failed, and e3 never (a server that hangs past the wait).
     */
    private static final class HeldSenders implements SenderFactory {
        final List<SendJob> held = new CopyOnWriteArrayList<>();

        @Override
        public TenantSender open(String tenant, MailerConfig config, int sessions, Consumer<SendResult> results) {
            return new TenantSender() {
                @Override
                public void submit(List<SendJob> jobs) {
                    held.addAll(jobs);
                }

                @Override
                public void halt() {
                    new Thread(() -> held.forEach(j -> {
                        if (j.emailId().equals("e1")) {
                            results.accept(new SendResult(j, null, new SendOutcome.Delivered(TransportKind.SMTP,
                                    START, List.of())));
                        } else if (j.emailId().equals("e2")) {
                            results.accept(new SendResult(j, null, new SendOutcome.Failed(TransportKind.SMTP,
                                    FailureClass.TRANSIENT, "451 later", false)));
                        }
                    })).start();
                }

                @Override
                public void finish() {
                }
            };
        }
    }

    private TopologyTestDriver driver(String name, SendingSettings settings) {
        TopologyFixture f = new TopologyFixture(topics, metrics, settings, TopologyFixture.secrets(stateDir, Map.of()),
                stateDir.resolve(name), START, TopologyFixture.withGlobalProcessingHandler());
        drivers.add(f.driver);
        return f.driver;
    }

    private static String config() {
        return "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"postmaster\":\"noreply@example.com\","
                + "\"campaignIntervalSeconds\":1}";
    }

    private void publish(TopologyTestDriver d, String... ids) {
        TestInputTopic<byte[], byte[]> outbox = d.createInputTopic(topics.outbox(), new ByteArraySerializer(),
                new ByteArraySerializer(), START, Duration.ZERO);
        for (String id : ids) {
            outbox.pipeInput(id.getBytes(StandardCharsets.UTF_8), ("{\"id\":\"" + id + "\",\"from\":\"a@example.com\","
                    + "\"to\":[\"b@example.com\"],\"subject\":\"S " + id + "\",\"text\":\"Hi\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void publishConfig(TopologyTestDriver d) {
        d.createInputTopic(topics().config(), new StringSerializer(), new StringSerializer())
                .pipeInput("default", config());
    }

    private static TopicNames topics() {
        return TopicNames.defaults();
    }

    private static Map<String, byte[]> all(KeyValueStore<String, byte[]> store) {
        Map<String, byte[]> out = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.key, kv.value));
        }
        return out;
    }

    private static List<StatusEvent> statuses(TestOutputTopic<byte[], byte[]> status) {
        return status.readValuesToList().stream().map(StatusEventJson::parse).toList();
    }

    @Test
    void shouldHandOverWhatWasInFlightWhenATaskMovesAndSendNothingTwice() {
        // The old owner hands e1, e2, e3 to its senders: each gets a marker, in the changelogged store.
        HeldSenders held = new HeldSenders();
        SendingSettings oldOwner = new SendingSettings(new RecordingTransport(), topics, metrics, Clock.systemUTC(),
                START, held, new SendingGate(), new RetryPolicy(() -> 0.5), 100,
                SendingSettings.DEFAULT_BATCH_MAX_BYTES, Duration.ofSeconds(10), new TenantActivity(),
                new HandoverSettings(capture, Duration.ofSeconds(3), Duration.ofSeconds(60)));
        TopologyTestDriver a = driver("a", oldOwner);
        publishConfig(a);
        publish(a, "e1", "e2", "e3");
        a.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(held.held).extracting(SendJob::emailId).containsExactly("e1", "e2", "e3");
        Map<String, byte[]> markers = all(a.getKeyValueStore(StoreNames.IN_FLIGHT_STORE));
        assertThat(markers).hasSize(3);

        // The task is let go: close() waits for what is in flight (e3 never comes) and hands each outcome over, in
        // the task's own partition of the topic the sending task reads.
        a.close();
        drivers.remove(a);
        assertThat(published).hasSize(2).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(APP + "-by-tenant-repartition");
            assertThat(r.partition()).isZero();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("default");
        });
        Map<String, Handover.Kind> kinds = new HashMap<>();
        published.forEach(r -> {
            Handover h = Handover.carriedBy(r.headers());
            kinds.put(h.pendingKey().substring(h.pendingKey().length() - 2), h.kind());
        });
        assertThat(kinds).containsEntry("e1", Handover.Kind.SENT).containsEntry("e2", Handover.Kind.NOT_SENT)
                .hasSize(2);

        // The new owner restored the same state (pending e1..e3 and their markers) and runs its own senders.
        RecordingTransport transport = new RecordingTransport();
        SendingSettings newOwner = InlineSending.settings(transport, topics, metrics, Clock.systemUTC(), START,
                new RetryPolicy(() -> 0.5), 100).withHandover(new HandoverSettings(HandoverPublisher.NONE,
                Duration.ZERO, Duration.ofSeconds(60)));
        TopologyTestDriver b = driver("b", newOwner);
        TestOutputTopic<byte[], byte[]> status = b.createOutputTopic(topics.status(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        publish(b, "e1", "e2", "e3");
        KeyValueStore<String, byte[]> bMarkers = b.getKeyValueStore(StoreNames.IN_FLIGHT_STORE);
        markers.forEach(bMarkers::put);
        publishConfig(b);

        // Before any handover: nothing marked goes out.
        b.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).isEmpty();

        // The handovers arrive: e1 is recorded as sent there, e2 is sent here, e3 still waits.
        TestInputTopic<byte[], byte[]> byTenant = b.createInputTopic(APP + "-by-tenant-repartition",
                new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ZERO);
        published.forEach(r -> byTenant.pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(), START)));
        b.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("e2");
        List<StatusEvent> s = statuses(status);
        assertThat(s).extracting(StatusEvent::id, StatusEvent::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("e1", Status.SENT),
                        org.assertj.core.groups.Tuple.tuple("e2", Status.SENT));

        // A handover that comes again (or late) finds no marker: ignored, no second status.
        published.forEach(r -> byTenant.pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(), START)));
        b.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(statuses(status)).isEmpty();
        assertThat(transport.sentIds()).containsExactly("e2");

        // e3's outcome never came (its old owner crashed or hung): once the hold-back passed, it is sent here.
        b.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(transport.sentIds()).containsExactly("e2", "e3");
        assertThat(statuses(status)).extracting(StatusEvent::id).containsExactly("e3");
        assertThat(all(bMarkers)).isEmpty();
    }

    @Test
    void shouldKeepTheSuppressedRecipientsOfAnEmailSentBeforeItsTaskMoved() {
        // The old owner leaves a suppressed recipient out of e1 and hands it to its senders.
        HeldSenders held = new HeldSenders();
        SendingSettings oldOwner = new SendingSettings(new RecordingTransport(), topics, metrics, Clock.systemUTC(),
                START, held, new SendingGate(), new RetryPolicy(() -> 0.5), 100,
                SendingSettings.DEFAULT_BATCH_MAX_BYTES, Duration.ofSeconds(10), new TenantActivity(),
                new HandoverSettings(capture, Duration.ofSeconds(3), Duration.ofSeconds(60)));
        TopologyTestDriver a = driver("s-a", oldOwner);
        publishConfig(a);
        io.github.kafkamailer.model.Suppression gone = new io.github.kafkamailer.model.Suppression("default",
                "gone@example.com", io.github.kafkamailer.model.SuppressionReason.BOUNCED, START);
        a.createInputTopic(topics.suppressions(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(gone.key(), io.github.kafkamailer.json.SuppressionJson.write(gone));
        String e1 = "{\"id\":\"e1\",\"from\":\"a@example.com\",\"to\":[\"b@example.com\",\"gone@example.com\"],"
                + "\"subject\":\"S\",\"text\":\"Hi\"}";
        a.createInputTopic(topics.outbox(), new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ZERO)
                .pipeInput("e1".getBytes(StandardCharsets.UTF_8), e1.getBytes(StandardCharsets.UTF_8));
        a.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(held.held).singleElement()
                .satisfies(j -> assertThat(j.suppressed()).containsExactly("gone@example.com"));
        Map<String, byte[]> markers = all(a.getKeyValueStore(StoreNames.IN_FLIGHT_STORE));

        // Let go while e1 is in flight: its delivery is handed over.
        a.close();
        drivers.remove(a);
        assertThat(published).hasSize(1);

        // The new owner records the delivery: its SENT still names the suppressed recipient.
        RecordingTransport transport = new RecordingTransport();
        TopologyTestDriver b = driver("s-b", InlineSending.settings(transport, topics, metrics, Clock.systemUTC(),
                START, new RetryPolicy(() -> 0.5), 100).withHandover(new HandoverSettings(HandoverPublisher.NONE,
                Duration.ZERO, Duration.ofSeconds(60))));
        TestOutputTopic<byte[], byte[]> status = b.createOutputTopic(topics.status(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        b.createInputTopic(topics.outbox(), new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ZERO)
                .pipeInput("e1".getBytes(StandardCharsets.UTF_8), e1.getBytes(StandardCharsets.UTF_8));
        KeyValueStore<String, byte[]> bMarkers = b.getKeyValueStore(StoreNames.IN_FLIGHT_STORE);
        markers.forEach(bMarkers::put);
        publishConfig(b);
        TestInputTopic<byte[], byte[]> byTenant = b.createInputTopic(APP + "-by-tenant-repartition",
                new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ZERO);
        published.forEach(r -> byTenant.pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(), START)));
        b.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(transport.sentIds()).isEmpty();
        assertThat(statuses(status)).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.SENT);
            assertThat(s.suppressed()).containsExactly("gone@example.com");
        });
    }

    @Test
    void shouldClearEachMarkerInTheTransactionThatRecordsItsOutcome() {
        RecordingTransport transport = new RecordingTransport();
        TopologyTestDriver d = driver("c", InlineSending.settings(transport, topics, metrics, Clock.systemUTC(), START,
                new RetryPolicy(() -> 0.5), 100));
        publishConfig(d);
        publish(d, "e1", "e2");
        d.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(transport.sentIds()).containsExactly("e1", "e2");
        assertThat(all(d.getKeyValueStore(StoreNames.IN_FLIGHT_STORE))).isEmpty();
    }
}
