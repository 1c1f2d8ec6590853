package io.github.kafkamailer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on connections, in a JVM of its own (the JDK reads it once per JVM): connections beyond it are closed
 * at once while the management port's probes answer; connections that send nothing are closed at the request
 * deadline, and then the main port answers again. The bound and deadline are given with -D, as a user would.
 */
class ConnectionBoundTest {
    private static final int BOUND = 8;
    private static final int DEADLINE_SECONDS = 2;

    private Process server;
    private int mainPort;
    private int managementPort;
    private final SlowClients clients = new SlowClients();

    /** Starts the servers in a JVM of their own; returns what it printed: ports, then the limits in force. */
    private String[] start(String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerProcess.class.getName()));
        server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the server process's first line").startsWith("ports ");
        String[] printed = line.split(" ");
        mainPort = Integer.parseInt(printed[1]);
        managementPort = Integer.parseInt(printed[2]);
        return printed;
    }

    @Test
    void shouldBoundConnectionsAndRequestsByDefault() throws IOException {
        String[] printed = start();
        assertThat(printed[4]).isEqualTo(Long.toString(HttpEndpoints.DEFAULT_DEADLINE_SECONDS));
        assertThat(printed[5]).isEqualTo(Integer.toString(HttpEndpoints.DEFAULT_MAX_CONNECTIONS));
        assertThat(SlowClients.get(mainPort, "/health").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.close();
        if (server == null) {
            return;
        }
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldLetASlowConsoleRequestAnswerAfterTheRequestDeadline() throws IOException {
        start("-D" + HttpEndpoints.REQUEST_DEADLINE_PROPERTY + "=" + DEADLINE_SECONDS,
                "-Dslow.millis=" + (DEADLINE_SECONDS * 2 + 1) * 1000);
        String body = "{\"tenant\":\"acme\"}";
        SlowClients.Answer a = SlowClients.request(mainPort, "POST /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.rest()).endsWith(body + "\n");
        assertThat(a.took()).isGreaterThan(Duration.ofSeconds(DEADLINE_SECONDS * 2));
    }

    @Test
    void shouldCloseConnectionsBeyondTheBoundWhileTheManagementPortAnswers() throws Exception {
        String[] printed = start("-D" + HttpEndpoints.MAX_CONNECTIONS_PROPERTY + "=" + BOUND,
                "-D" + HttpEndpoints.REQUEST_DEADLINE_PROPERTY + "=" + DEADLINE_SECONDS);
        assertThat(printed[4] + " " + printed[5]).as("the user's values win").isEqualTo(DEADLINE_SECONDS + " " + BOUND);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < BOUND / 2; i++) {
            idle.add(clients.stall(mainPort, ""));
            idle.add(clients.stall(mainPort, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        }
        // The server accepts them as they come; a probe on the main port is one too many.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> SlowClients.get(mainPort, "/health")).isInstanceOf(IOException.class));
        Socket beyond = clients.stall(mainPort, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(SlowClients.closedWithin(beyond, Duration.ofSeconds(1))).isTrue();

        for (String probe : List.of("/health", "/ready", "/metrics")) {
            SlowClients.Answer a = SlowClients.get(managementPort, probe);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.took()).isLessThan(Duration.ofSeconds(1));
        }

        // At the deadline (and the JDK's one-second sweep) the idle and half-sent ones are closed.
        for (Socket s : idle) {
            assertThat(SlowClients.closedWithin(s, Duration.ofSeconds(DEADLINE_SECONDS + 5))).isTrue();
        }
        SlowClients.Answer again = SlowClients.get(mainPort, "/health");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.took()).isLessThan(Duration.ofSeconds(1));
    }
}
