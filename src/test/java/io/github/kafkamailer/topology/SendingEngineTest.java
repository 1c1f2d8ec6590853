package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.sending.InlineSenders;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SenderFactory;
import io.github.kafkamailer.sending.TenantSender;
import io.github.kafkamailer.sending.TenantActivity;
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
 * The sending engine alone, on stores of the test's own (so the test sees every read), driven tick by tick:
 * what a tick costs, and what a task that closes and opens again keeps.
 */
class SendingEngineTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration TICK = Duration.ofMillis(20);

    private final RecordingTransport transport = new RecordingTransport();
    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private final ConfigChanges changes = new ConfigChanges();
    private final SortedTestStore<byte[]> configStore = new SortedTestStore<>(StoreNames.CONFIG_STORE);
    private final SortedTestStore<PendingEmail> pendingStore = new SortedTestStore<>(StoreNames.PENDING_STORE);
    private final SortedTestStore<Long> countStore = new SortedTestStore<>(StoreNames.PENDING_COUNTS_STORE);
    private final SortedTestStore<Long> sentStore = new SortedTestStore<>(StoreNames.SENT_IDS_STORE);
    private final SortedTestStore<Long> expiryStore = new SortedTestStore<>(StoreNames.SENT_EXPIRY_STORE);
    private final SortedTestStore<byte[]> rateStore = new SortedTestStore<>(StoreNames.RATE_STORE);
    private final SortedTestStore<byte[]> inFlightStore = new SortedTestStore<>(StoreNames.IN_FLIGHT_STORE);
    private final SortedTestStore<byte[]> suppressionStore = new SortedTestStore<>(StoreNames.SUPPRESSIONS_STORE);
    /** The tenants whose senders were opened, once per run. */
    private final List<String> opened = new ArrayList<>();
    private MockProcessorContext<byte[], Outbound> context;
    private SendingProcessor processor;
    private Instant now = START;

    @AfterEach
    void close() {
        if (processor != null) {
            processor.close();
        }
    }

    private void open(SenderFactory senders, int batchSize) {
        SendingSettings settings = new SendingSettings(transport, TopicNames.defaults(), metrics,
                Clock.fixed(START, ZoneOffset.UTC), START, (tenant, config, sessions, results) -> {
                    opened.add(tenant);
                    return senders.open(tenant, config, sessions, results);
                }, new SendingGate(), new RetryPolicy(() -> 0.5), batchSize, SendingSettings.DEFAULT_BATCH_MAX_BYTES,
                Duration.ofSeconds(10), new TenantActivity());
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(now.toEpochMilli());
        for (SortedTestStore<?> s : List.of(configStore, pendingStore, countStore, sentStore, expiryStore, rateStore,
                inFlightStore, suppressionStore, new SortedTestStore<Long>(StoreNames.HIGH_SOURCES_STORE),
                new SortedTestStore<Long>(StoreNames.HIGH_SOURCES_EXPIRY_STORE))) {
            context.addStateStore(s.store());
        }
        processor = new SendingProcessor(settings, TICK, new RecordLimit(1 << 20), changes, new HighInbox());
        processor.init(context);
    }

    private void tick(Duration d) {
        now = now.plus(d);
        context.setCurrentSystemTimeMs(now.toEpochMilli());
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(now.toEpochMilli());
    }

    private void publishConfig(String tenant, int intervalSeconds, String extra) {
        configStore.map.put(tenant, ("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"postmaster\":\"noreply@example.com\","
                + "\"campaignIntervalSeconds\":" + intervalSeconds + extra + "}").getBytes(StandardCharsets.UTF_8));
        changes.applied(tenant, null);
    }

    private void arrive(String tenant, String id) {
        byte[] json = ("{\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"from\":\"alice@example.com\","
                + "\"to\":[\"bob@example.com\"],\"subject\":\"Hello\",\"text\":\"Hi\"}").getBytes(StandardCharsets.UTF_8);
        PendingEmail p = new PendingEmail(tenant, id, json, "mail.outbox/0/0", now, 0, null, now);
        processor.process(new Record<>(tenant, p, now.toEpochMilli()));
    }

    @Test
    void shouldNeitherOpenSendersNorReadTheConfigTableForTenantsWithNothingPending() {
        for (int i = 0; i < 10_000; i++) {
            configStore.map.put("t" + i, ("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\","
                    + "\"postmaster\":\"noreply@example.com\",\"campaignIntervalSeconds\":1}").getBytes(StandardCharsets.UTF_8));
        }
        open(new InlineSenders(transport), 100);
        for (int i = 0; i < 100; i++) {
            tick(i % 10 == 0 ? Duration.ofSeconds(30) : TICK);
        }
        assertThat(opened).isEmpty();
        assertThat(configStore.fullScans).isZero();
        assertThat(configStore.gets).isZero();

        arrive("t42", "e1");
        tick(TICK);
        assertThat(transport.sentIds()).containsExactly("e1");
        assertThat(opened).containsExactly("t42");
        int reads = configStore.gets;
        assertThat(reads).as("its config, once").isEqualTo(1);

        for (int i = 0; i < 100; i++) {
            tick(i % 10 == 0 ? Duration.ofSeconds(30) : TICK);
        }
        assertThat(opened).as("its run ended with nothing pending: no run after it").containsExactly("t42");
        assertThat(configStore.gets).isEqualTo(reads);
        assertThat(configStore.fullScans).isZero();
    }

    @Test
    void shouldReadATenantsConfigAgainOnlyWhenItChanges() {
        open(new InlineSenders(transport), 100);
        publishConfig("acme", 20, "");
        arrive("acme", "a1");
        tick(TICK);
        assertThat(transport.sentIds()).containsExactly("a1");
        int reads = configStore.gets;
        for (int i = 0; i < 50; i++) {
            tick(TICK);
        }
        assertThat(configStore.gets).isEqualTo(reads);

        publishConfig("acme", 1, "");
        arrive("acme", "a2");
        tick(Duration.ofSeconds(2));
        assertThat(transport.sentIds()).containsExactly("a1", "a2");
        assertThat(configStore.gets).isEqualTo(reads + 1);
    }

    @Test
    void shouldCountWhatWasHandedOutAsSentWhenTheTaskOpensAgain() {
        List<SendJob> submitted = new ArrayList<>();
        SenderFactory holding = (tenant, config, sessions, results) -> new TenantSender() {
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
        open(holding, 100);
        publishConfig("acme", 1, ",\"maxEmailsPerMinute\":10");
        for (int i = 0; i < 30; i++) {
            arrive("acme", "m" + i);
        }
        tick(TICK);
        assertThat(submitted).hasSize(10);
        assertThat(context.committed()).as("the window saved with them, in the commit after this tick").isTrue();

        // The task goes (a crash, or a move to another instance) with the 10 still at the server: none came back.
        processor.close();
        now = now.plusSeconds(5);
        open(holding, 100);
        tick(TICK);
        tick(Duration.ofSeconds(30));
        assertThat(submitted).as("the 10 handed out count against the window for a minute").hasSize(10);
        tick(Duration.ofSeconds(30));
        assertThat(submitted).hasSize(20);
    }

    @Test
    void shouldReadARateWindowSavedInTheFirstFormat() {
        Instant t = Instant.parse("2026-12-01T10:00:00.250Z");
        java.nio.ByteBuffer old = java.nio.ByteBuffer.allocate(16).putLong(t.toEpochMilli()).putLong(t.toEpochMilli() + 1);
        assertThat(SavedRateWindows.decode(old.array())).containsExactly(t, t.plusMillis(1));
        assertThat(SavedRateWindows.decode(SavedRateWindows.encode(List.of(t, t.plusMillis(1), t.plusSeconds(2)))))
                .as("per second, at its end").containsExactly(Instant.parse("2026-12-01T10:00:00.999Z"),
                        Instant.parse("2026-12-01T10:00:00.999Z"), Instant.parse("2026-12-01T10:00:02.999Z"));
    }
}
