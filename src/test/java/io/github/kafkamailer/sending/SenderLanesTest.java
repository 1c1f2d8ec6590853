package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Priority;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.smtp.SmtpTransport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production senders: parallel sessions, outcomes for everything, deadlines, isolation between tenants. */
class SenderLanesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<SendResult> results = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static MailerConfig config(int port, int connections) {
        return ConfigJson.parse(("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"smtpPort\":" + port
                + ",\"postmaster\":\"noreply@example.com\",\"smtpConnections\":" + connections + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static SendJob job(String id) {
        String json = "{\"id\":\"" + id + "\",\"to\":[\"bob@example.com\"],\"subject\":\"s " + id + "\",\"text\":\"t\"}";
        return new SendJob("k-" + id, id, json.getBytes(StandardCharsets.UTF_8), T0, null);
    }

    private static List<SendJob> jobs(String prefix, int n) {
        List<SendJob> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(job(prefix + i));
        }
        return out;
    }

    private FaultySmtpServer server() {
        FaultySmtpServer s = new FaultySmtpServer().start();
        toClose.add(s);
        return s;
    }

    private SenderLanes lanes(MailTransport transport, Duration deadline) {
        SenderLanes l = new SenderLanes(transport, deadline);
        toClose.add(l);
        return l;
    }

    /** Lanes whose deadlines run on {@code ticker}, a clock the test moves. */
    private SenderLanes lanes(MailTransport transport, Duration deadline, Ticker ticker) {
        SenderLanes l = new SenderLanes(transport, deadline, SenderLanes.DEFAULT_MAX_CONNECTIONS,
                SenderLanes.DEFAULT_TURN, ticker);
        toClose.add(l);
        return l;
    }

    private static SmtpTransport smtp() {
        return new SmtpTransport(Clock.systemUTC(), Duration.ofSeconds(30), (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    @Test
    void shouldSendOverAsManyConnectionsAsTheConfigSaysAndKeepThemForTheRun() {
        FaultySmtpServer server = server();
        SenderLanes lanes = lanes(smtp(), Duration.ofSeconds(30));
        TenantSender sender = lanes.open("t", config(server.port(), 4), 4, results::add);
        sender.submit(jobs("e", 400));

        await().atMost(Duration.ofSeconds(30)).until(() -> results.size() == 400);
        assertThat(results).allMatch(r -> r.outcome() instanceof SendOutcome.Delivered);
        assertThat(server.receivedCount()).isEqualTo(400);
        assertThat(server.connectionsAccepted()).as("one connection per lane for the whole run").isEqualTo(4);
        assertThat(server.peakOpenConnections()).isEqualTo(4);
        sender.finish();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }

    @Test
    void shouldOpenNoMoreConnectionsThanEmails() {
        FaultySmtpServer server = server();
        TenantSender sender = lanes(smtp(), Duration.ofSeconds(30)).open("t", config(server.port(), 8), 8, results::add);
        sender.submit(jobs("e", 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 2);
        assertThat(server.connectionsAccepted()).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldGiveEveryJobAnOutcomeWhenTheTransportThrowsEvenAnError() {
        Function<EmailEvent, SendOutcome> answer = e -> switch (e.id()) {
            case "e1" -> throw new IllegalStateException("bug in a transport");
            case "e2" -> throw new StackOverflowError();
            case "e3" -> null;
            default -> new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        };
        TenantSender sender = lanes(fake(answer), Duration.ofSeconds(30)).open("t", config(25, 2), 2, results::add);
        sender.submit(jobs("e", 6));

        await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 6);
        assertThat(results).allMatch(SendResult::attempted);
        assertThat(outcome("e1")).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.reason()).contains("java.lang.IllegalStateException").contains("bug in a transport");
            assertThat(f.stopsRun()).isFalse();
        });
        assertThat(outcome("e2")).isInstanceOfSatisfying(SendOutcome.Failed.class,
                f -> assertThat(f.reason()).contains("java.lang.StackOverflowError"));
        assertThat(outcome("e3")).isInstanceOf(SendOutcome.Failed.class);
        assertThat(outcome("e5")).isInstanceOf(SendOutcome.Delivered.class);
    }

    @Test
    void shouldReturnTheQueueNotAttemptedOnceTheServerProvesUnusable() {
        FaultySmtpServer server = server();
        int port = server.port();
        server.stop();
        TenantSender sender = lanes(smtp(), Duration.ofSeconds(30)).open("t", config(port, 1), 1, results::add);
        sender.submit(jobs("e", 50));

        await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 50);
        assertThat(results.stream().filter(SendResult::attempted).count()).isEqualTo(1);
        assertThat(results.stream().filter(SendResult::attempted).findFirst().orElseThrow().outcome().stopsRun()).isTrue();
    }

    @Test
    void shouldCutAnExchangeWithASilentServerAtTheDeadlineAndLeaveOtherTenantsAlone() {
        FaultySmtpServer hung = server().silent(true);
        FaultySmtpServer healthy = server();
        SmtpTransport smtp = smtp();
        AtomicLong nanos = new AtomicLong(1);
        SenderLanes lanes = lanes(smtp, Duration.ofSeconds(2), nanos::get);
        List<SendResult> hungResults = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            lanes.open("hung" + i, config(hung.port(), 2), 2, hungResults::add).submit(jobs("h" + i + "-", 5));
        }
        long start = System.nanoTime();
        TenantSender fine = lanes.open("fine", config(healthy.port(), 1), 1, results::add);
        fine.submit(jobs("f", 20));
        await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 20);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the healthy tenant never waits on the hung ones")
                .isLessThan(Duration.ofSeconds(2));

        assertThat(hungResults).as("the deadline has not passed on the lanes' clock, however long it took").isEmpty();

        // The lanes' clock moves past the deadline (again at each look, for a lane that started sending late).
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            nanos.addAndGet(Duration.ofSeconds(3).toNanos());
            return hungResults.size() == 20;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(hungResults.stream().filter(SendResult::attempted).map(SendResult::outcome))
                .allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
                    assertThat(f.reason()).contains("deadline");
                    assertThat(f.stopsRun()).isTrue();
                }));
    }

    @Test
    void shouldStopHandingOutAfterAHalt() {
        ConcurrentHashMap<String, Boolean> sent = new ConcurrentHashMap<>();
        TenantSender sender = lanes(fake(e -> {
            sent.put(e.id(), true);
            return new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        }), Duration.ofSeconds(30)).open("t", config(25, 1), 1, results::add);
        sender.halt();
        sender.submit(jobs("e", 3));
        assertThat(results).hasSize(3).noneMatch(SendResult::attempted);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldTakeAHighJobBeforeTheNormalOnesQueuedAheadOfIt() {
        CountDownLatch firstSending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        TenantSender sender = lanes(fake(e -> {
            order.add(e.id());
            if (e.id().equals("first")) {
                firstSending.countDown();
                awaitUninterruptibly(release);
            }
            return new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());
        }), Duration.ofSeconds(30)).open("t", config(25, 1), 1, results::add);
        sender.submit(List.of(job("first")));
        awaitUninterruptibly(firstSending); // the one lane is busy: what comes next waits in the queue
        sender.submit(jobs("n", 5));
        sender.submit(List.of(job("urgent").withPriority(Priority.HIGH), job("n5")));
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> results.size() == 8);
        assertThat(order).containsExactly("first", "urgent", "n0", "n1", "n2", "n3", "n4", "n5");
        assertThat(results).allMatch(r -> r.outcome() instanceof SendOutcome.Delivered);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        await().atMost(Duration.ofSeconds(30)).until(() -> latch.await(100, TimeUnit.MILLISECONDS));
    }

    private SendOutcome outcome(String id) {
        return results.stream().filter(r -> r.job().emailId().equals(id)).findFirst().orElseThrow().outcome();
    }

    private static MailTransport fake(Function<EmailEvent, SendOutcome> answer) {
        return config -> new TransportSession() {
            @Override
            public SendOutcome send(EmailEvent email) {
                return answer.apply(email);
            }

            @Override
            public void close() {
            }
        };
    }
}
