package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed mailer must not look healthy (issue 9, item 6). The mailer's producer is given a tiny
 * {@code max.request.size}, so that producing any email to the repartition topic fails the stream thread, every
 * time: the thread is replaced, fails again, and at the third failure the mailer gives up (in production: exit
 * status 1). Meanwhile /health answers 503.
 */
class FailingThreadsIT {
    @TempDir
    Path dir;

    private MailerHarness mailer;
    private EmbeddedSmtpServer smtp;
    private final List<Integer> healthSeen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean polling = new AtomicBoolean(true);
    private Thread poller;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state"))
                .withProperty(StreamsConfig.producerPrefix("max.request.size"), "100")
                // Streams' consumers don't leave the group when a thread dies: its replacement waits for the dead
                // member's session to time out (45 s by default). The broker's minimum keeps the test short.
                .withProperty(StreamsConfig.mainConsumerPrefix("session.timeout.ms"), "6000");
        smtp = EmbeddedSmtpServer.start(0);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        polling.set(false);
        if (poller != null) {
            poller.join(5000);
        }
        mailer.close();
        smtp.close();
    }

    @Test
    void shouldGiveUpAfterThreeThreadFailuresAndAnswer503Meanwhile() throws Exception {
        mailer.start();
        int port = mailer.app().httpPort();
        assertThat(Scrape.get(port, "/health").statusCode()).isEqualTo(200);
        poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    healthSeen.add(Scrape.get(port, "/health").statusCode());
                } catch (Exception e) {
                    return;
                }
            }
        }, "health-poller");
        poller.start();

        mailer.publishConfig("default", config(smtp.port(), ""));
        mailer.publishEmail("e1", email("e1", ""));

        // The failing stream threads' exceptions are expected: Awaitility must not take them for the test's own.
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60)).until(() -> !mailer.fatal.isEmpty());
        assertThat(mailer.fatal).singleElement().asString().contains("3 times within 5 minutes")
                .contains("RecordTooLargeException");
        System.out.println("FailingThreadsIT: /health answers in order: " + runs(healthSeen));
        assertThat(healthSeen).contains(503);
        assertThat(Scrape.get(port, "/health").statusCode()).isEqualTo(503);
        assertThat(smtp.received()).isEmpty();
    }

    /** "200×12, 503×40, ..." */
    private static String runs(List<Integer> codes) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < codes.size()) {
            int j = i;
            while (j < codes.size() && codes.get(j).equals(codes.get(i))) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(codes.get(i)).append('x').append(j - i);
            i = j;
        }
        return sb.toString();
    }
}
