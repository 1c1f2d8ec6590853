package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The global bound on sender connections ({@code mailer.send.max.connections}): never more sessions open than
 * the bound, what asks beyond it waits its turn fairly by tenant, and no run holds a permit it doesn't use.
 */
class SenderLanesBoundTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** A transport whose sessions each take {@code millis} per email, counting sessions open at once per tenant. */
    private static final class CountingTransport implements MailTransport {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();
        final Map<String, Long> millisPerTenant = new ConcurrentHashMap<>();

        @Override
        public TransportSession open(MailerConfig config) {
            String tenant = config.postmaster();
            opened.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
            peak.accumulateAndGet(open.incrementAndGet(), Math::max);
            return new TransportSession() {
                private boolean closed;

                @Override
                public SendOutcome send(EmailEvent email) {
                    // The server's time for one email (simulated latency, not a wait for a condition).
                    LockSupport.parkNanos(Duration.ofMillis(millisPerTenant.getOrDefault(tenant, 2L)).toNanos());
                    return new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        open.decrementAndGet();
                    }
                }
            };
        }

        int openedBy(String tenant) {
            AtomicInteger n = opened.get(tenant);
            return n == null ? 0 : n.get();
        }
    }

    /** The tenant's name travels in the config's postmaster, so that the fake transport can tell tenants apart. */
    private static MailerConfig config(String tenant, int connections) {
        return ConfigJson.parse(("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"smtpPort\":25,\"postmaster\":\""
                + tenant + "@example.com\",\"smtpConnections\":" + connections + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<SendJob> jobs(String prefix, int n) {
        List<SendJob> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            String json = "{\"id\":\"" + id + "\",\"to\":[\"bob@example.com\"],\"subject\":\"s\",\"text\":\"t\"}";
            out.add(new SendJob("k-" + id, id, json.getBytes(StandardCharsets.UTF_8), T0, null));
        }
        return out;
    }

    private SenderLanes lanes(MailTransport transport, Duration deadline, int max, Duration turn) {
        SenderLanes l = new SenderLanes(transport, deadline, max, turn);
        toClose.add(l);
        return l;
    }

    private static long senderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("mailer-sender-") && !t.getName().endsWith("watchdog"))
                .count();
    }

    @Test
    void shouldNeverOpenMoreSessionsOrThreadsThanTheBoundAndStillSendEverything() {
        CountingTransport transport = new CountingTransport();
        SenderLanes lanes = lanes(transport, Duration.ofSeconds(30), 3, Duration.ofMillis(50));
        List<SendResult> results = new CopyOnWriteArrayList<>();
        AtomicInteger peakThreads = new AtomicInteger();
        for (int t = 0; t < 10; t++) {
            TenantSender sender = lanes.open("t" + t, config("t" + t, 4), 4, results::add);
            sender.submit(jobs("t" + t + "-", 30));
            peakThreads.accumulateAndGet((int) senderThreads(), Math::max);
        }
        assertThat(lanes.connectionsWaiting()).as("the runs beyond the bound wait, they don't fail").isPositive();

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            peakThreads.accumulateAndGet((int) senderThreads(), Math::max);
            assertThat(lanes.connectionsInUse()).isLessThanOrEqualTo(3);
            return results.size() == 300;
        });
        assertThat(results).allMatch(r -> r.outcome() instanceof SendOutcome.Delivered);
        assertThat(transport.peak.get()).as("sessions open at once").isLessThanOrEqualTo(3);
        assertThat(peakThreads.get()).as("sender threads alive at once").isLessThanOrEqualTo(3);
        for (int t = 0; t < 10; t++) {
            assertThat(transport.openedBy("t" + t + "@example.com")).as("every tenant sent").isPositive();
        }
    }

    @Test
    void shouldLetATenantsFirstConnectionGoBeforeAnotherTenantsBacklog() {
        CountingTransport transport = new CountingTransport();
        transport.millisPerTenant.put("a@example.com", 5L);
        // A long turn: what lets B in is its lack of any connection, not A's turn running out.
        SenderLanes lanes = lanes(transport, Duration.ofSeconds(30), 2, Duration.ofMinutes(10));
        List<SendResult> a = new CopyOnWriteArrayList<>();
        List<SendResult> b = new CopyOnWriteArrayList<>();
        TenantSender senderA = lanes.open("a", config("a", 16), 16, a::add);
        senderA.submit(jobs("a", 600));
        await().atMost(Duration.ofSeconds(30)).until(() -> a.size() >= 10);
        assertThat(transport.open.get()).as("A alone takes both connections").isEqualTo(2);

        TenantSender senderB = lanes.open("b", config("b", 1), 1, b::add);
        senderB.submit(jobs("b", 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> b.size() == 1);
        int aDoneWhenBWent = a.size();

        assertThat(b.get(0).outcome()).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(aDoneWhenBWent).as("B's email went out long before A's backlog finished").isLessThan(300);
        await().atMost(Duration.ofSeconds(60)).until(() -> a.size() == 600);
        assertThat(transport.peak.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldTakeTurnsAmongTenantsThatAllWantMoreThanTheBound() {
        CountingTransport transport = new CountingTransport();
        SenderLanes lanes = lanes(transport, Duration.ofSeconds(30), 1, Duration.ofMillis(100));
        List<SendResult> a = new CopyOnWriteArrayList<>();
        List<SendResult> b = new CopyOnWriteArrayList<>();
        lanes.open("a", config("a", 4), 4, a::add).submit(jobs("a", 2000));
        await().atMost(Duration.ofSeconds(30)).until(() -> a.size() >= 5);
        lanes.open("b", config("b", 4), 4, b::add).submit(jobs("b", 2000));

        await().atMost(Duration.ofSeconds(30)).until(() -> b.size() >= 5);
        assertThat(a.size()).as("B's turn came while A still had most of its backlog").isLessThan(1500);
        await().atMost(Duration.ofSeconds(30)).until(() -> transport.openedBy("a@example.com") >= 2);
        assertThat(transport.peak.get()).isEqualTo(1);
    }

    @Test
    void shouldGiveUpTheWaitOfAHaltedRunAndTheIdleLaneOfARunStillGoing() {
        CountingTransport transport = new CountingTransport();
        transport.millisPerTenant.put("a@example.com", 300L);
        SenderLanes lanes = lanes(transport, Duration.ofSeconds(30), 1, Duration.ofMinutes(10));
        List<SendResult> a = new CopyOnWriteArrayList<>();
        List<SendResult> b = new CopyOnWriteArrayList<>();
        List<SendResult> c = new CopyOnWriteArrayList<>();
        TenantSender senderA = lanes.open("a", config("a", 1), 1, a::add);
        senderA.submit(jobs("a", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.open.get() == 1);

        TenantSender senderB = lanes.open("b", config("b", 1), 1, b::add);
        senderB.submit(jobs("b", 3));
        assertThat(lanes.connectionsWaiting()).isEqualTo(1);
        senderB.halt();
        assertThat(b).as("a halted run's queued jobs come back at once").hasSize(3).noneMatch(SendResult::attempted);
        assertThat(lanes.connectionsWaiting()).as("and it waits for nothing more").isZero();

        // A's run goes on with nothing queued: its idle lane gives the connection to C, which waits.
        await().atMost(Duration.ofSeconds(10)).until(() -> a.size() == 1);
        TenantSender senderC = lanes.open("c", config("c", 1), 1, c::add);
        senderC.submit(jobs("c", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.size() == 1);
        assertThat(transport.openedBy("b@example.com")).as("no session for the halted run").isZero();
        assertThat(transport.peak.get()).isEqualTo(1);

        // A's run gets a lane again for what it is handed next.
        senderA.submit(jobs("a-more", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.size() == 2);
        senderA.finish();
        senderC.finish();
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.open.get() == 0 && lanes.connectionsInUse() == 0);
    }

    @Test
    void shouldNotCountTheWaitForAConnectionAgainstTheSendDeadline() {
        CountingTransport transport = new CountingTransport();
        transport.millisPerTenant.put("a@example.com", 600L);
        SenderLanes lanes = lanes(transport, Duration.ofSeconds(1), 1, Duration.ofMinutes(10));
        List<SendResult> a = new CopyOnWriteArrayList<>();
        List<SendResult> b = new CopyOnWriteArrayList<>();
        lanes.open("a", config("a", 1), 1, a::add).submit(jobs("a", 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.open.get() == 1);
        long start = System.nanoTime();
        lanes.open("b", config("b", 1), 1, b::add).submit(jobs("b", 1));

        await().atMost(Duration.ofSeconds(20)).until(() -> b.size() == 1 && a.size() == 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("B waited for A's connection")
                .isGreaterThan(Duration.ofSeconds(1));
        assertThat(b.get(0).outcome()).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(a).allMatch(r -> r.outcome() instanceof SendOutcome.Delivered);
    }
}
