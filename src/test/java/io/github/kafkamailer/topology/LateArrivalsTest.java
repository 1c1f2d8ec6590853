package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SenderFactory;
import io.github.kafkamailer.sending.TenantActivity;
import io.github.kafkamailer.sending.TenantSender;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Emails that reach the store while their tenant's run is sending, keyed before its cursor (the outbox's
 * partitions arrive interleaved): the run sends them, once each, without waiting for the next interval.
 */
class LateArrivalsTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration TICK = Duration.ofMillis(20);

    private final RecordingTransport transport = new RecordingTransport();
    private final ConfigChanges changes = new ConfigChanges();
    private final SortedTestStore<byte[]> configStore = new SortedTestStore<>(StoreNames.CONFIG_STORE);
    private final SortedTestStore<PendingEmail> pendingStore = new SortedTestStore<>(StoreNames.PENDING_STORE);
    /** What the run's senders were given, in order; nothing comes back: all of it stays in flight. */
    private final List<SendJob> submitted = new ArrayList<>();
    private int runs;
    private MockProcessorContext<byte[], Outbound> context;
    private SendingProcessor processor;
    private Instant now = START;

    @AfterEach
    void close() {
        processor.close();
    }

    private void open(int batchSize) {
        SenderFactory holding = (tenant, config, sessions, results) -> {
            runs++;
            return new TenantSender() {
                @Override
                public void submit(List<SendJob> jobs) {
                    submitted.addAll(jobs);
                }

                @Override
                public void halt() {
                }

                @Override
                public void finish() {
                }
            };
        };
        SendingSettings settings = new SendingSettings(transport, TopicNames.defaults(), MailerMetrics.inMemory(),
                Clock.fixed(START, ZoneOffset.UTC), START, holding, new SendingGate(), new RetryPolicy(() -> 0.5),
                batchSize, SendingSettings.DEFAULT_BATCH_MAX_BYTES, Duration.ofSeconds(10), new TenantActivity());
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(now.toEpochMilli());
        for (SortedTestStore<?> s : List.of(configStore, pendingStore,
                new SortedTestStore<Long>(StoreNames.PENDING_COUNTS_STORE),
                new SortedTestStore<Long>(StoreNames.SENT_IDS_STORE),
                new SortedTestStore<Long>(StoreNames.SENT_EXPIRY_STORE),
                new SortedTestStore<Long>(StoreNames.HIGH_SOURCES_STORE),
                new SortedTestStore<Long>(StoreNames.HIGH_SOURCES_EXPIRY_STORE),
                new SortedTestStore<byte[]>(StoreNames.RATE_STORE),
                new SortedTestStore<byte[]>(StoreNames.IN_FLIGHT_STORE),
                new SortedTestStore<byte[]>(StoreNames.SUPPRESSIONS_STORE))) {
            context.addStateStore(s.store());
        }
        processor = new SendingProcessor(settings, TICK, new RecordLimit(1 << 20), changes, new HighInbox());
        processor.init(context);
        configStore.map.put("acme", ("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"postmaster\":\"noreply@example.com\","
                + "\"campaignIntervalSeconds\":60}").getBytes(StandardCharsets.UTF_8));
        changes.applied("acme", null);
    }

    private void tick() {
        now = now.plus(TICK);
        context.setCurrentSystemTimeMs(now.toEpochMilli());
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(now.toEpochMilli());
    }

    /** An email stamped {@code ago} before now by the outbox: its key sorts by that instant. */
    private void arrive(String id, Duration ago) {
        byte[] json = ("{\"id\":\"" + id + "\",\"tenant\":\"acme\",\"from\":\"alice@example.com\","
                + "\"to\":[\"bob@example.com\"],\"subject\":\"Hello\",\"text\":\"Hi\"}").getBytes(StandardCharsets.UTF_8);
        Instant stamped = now.minus(ago);
        processor.process(new Record<>("acme", new PendingEmail("acme", id, json, "mail.outbox/0/0", stamped, 0, null,
                stamped), now.toEpochMilli()));
    }

    private List<String> submittedIds() {
        return submitted.stream().map(SendJob::emailId).toList();
    }

    @Test
    void shouldSendAnEmailKeyedBeforeTheCursorInTheRunThatIsSending() {
        open(100);
        arrive("b", Duration.ofMillis(100));
        arrive("c", Duration.ofMillis(50));
        tick();
        assertThat(submittedIds()).containsExactly("b", "c");

        // From another outbox partition, stamped before both: before, it waited for the next run, 60 s later.
        arrive("a", Duration.ofMillis(300));
        tick();
        assertThat(submittedIds()).as("sent in this run, and b and c not a second time").containsExactly("b", "c", "a");
        assertThat(runs).isEqualTo(1);
        assertThat(context.forwarded()).as("b and c, met again in flight, are not settled as duplicates").isEmpty();
        assertThat(pendingStore.map).hasSize(3);

        arrive("d", Duration.ofMillis(10));
        tick();
        tick();
        assertThat(submittedIds()).containsExactly("b", "c", "a", "d");
    }

    @Test
    void shouldKeepTheBoundOnEmailsInFlightWhenTheCursorGoesBack() {
        open(3);
        arrive("b", Duration.ofMillis(100));
        arrive("c", Duration.ofMillis(90));
        arrive("d", Duration.ofMillis(80));
        tick();
        assertThat(submittedIds()).containsExactly("b", "c", "d");

        arrive("a", Duration.ofMillis(300));
        tick();
        tick();
        assertThat(submittedIds()).as("three in flight already: a waits for room").containsExactly("b", "c", "d");
        assertThat(context.forwarded()).isEmpty();
        assertThat(pendingStore.map).hasSize(4);
    }
}
