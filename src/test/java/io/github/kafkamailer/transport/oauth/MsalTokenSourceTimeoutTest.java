package io.github.kafkamailer.transport.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token endpoint that accepts the connection and never answers (a black-holing proxy or firewall): msal4j's
 * HTTP client has no timeout of its own, so without ours its thread and socket would wait for ever, one more
 * per sending run.
 */
class MsalTokenSourceTimeoutTest {
    private TokenStandIn standIn;
    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedByClient = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        standIn = new TokenStandIn();
        silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptAndListen, "silent-endpoint");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
        standIn.close();
    }

    /** Reads and never writes; counts the connections the client gave up on (end of stream or reset). */
    private void acceptAndListen() {
        while (!silent.isClosed()) {
            try {
                Socket s = silent.accept();
                accepted.add(s);
                Thread reader = new Thread(() -> {
                    try (InputStream in = s.getInputStream()) {
                        while (in.read() >= 0) {
                            // The ClientHello, ignored.
                        }
                    } catch (IOException e) {
                        // Reset by the client, or closed by tearDown.
                    }
                    closedByClient.incrementAndGet();
                });
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    void shouldGiveUpOnASilentEndpointAndCloseItsConnection() {
        MsalTokenSource tokens = new MsalTokenSource(Clock.systemUTC(), TokenStandIn.trustingTheTestCertificate(),
                Duration.ofSeconds(3));
        long started = System.nanoTime();
        assertThatThrownBy(() -> tokens.token(standIn.config(Map.of("authorityHost",
                "https://localhost:" + silent.getLocalPort())), "https://outlook.office365.com/.default"))
                .isInstanceOfSatisfying(TokenSource.TokenException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).contains(TokenStandIn.TENANT).doesNotContain(TokenStandIn.SECRET);
                });
        // Bounded by the budget (3 s), with room for a loaded CI machine; without a timeout it would never return.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(accepted).isNotEmpty();
            assertThat(closedByClient.get()).isEqualTo(accepted.size());
        });
    }
}
