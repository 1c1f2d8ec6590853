package io.github.kafkamailer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker engine probe against stand-ins on a Unix socket: an engine, a broken one, a silent one, none. */
class DockerEngineTest {
    @TempDir
    Path dir;

    /** A stand-in that answers one connection with {@code reply}, after reading the request. */
    private ServerSocketChannel answering(Path socket, String reply) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (SocketChannel client = server.accept()) {
                client.read(ByteBuffer.allocate(256));
                client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                // the test sees the probe's verdict
            }
        }, "docker-stand-in");
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void shouldFindAnEngineThatAnswersThePing() throws IOException {
        Path socket = dir.resolve("docker.sock");
        try (ServerSocketChannel server = answering(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")) {
            assertThat(DockerEngine.pingUnix(socket, "stand-in")).isEmpty();
        }
    }

    @Test
    void shouldReportAnEngineThatRefusesThePing() throws IOException {
        Path socket = dir.resolve("docker.sock");
        try (ServerSocketChannel server = answering(socket, "HTTP/1.1 500 Internal Server Error\r\n\r\n")) {
            assertThat(DockerEngine.pingUnix(socket, "stand-in")).get().asString().contains("500");
        }
    }

    @Test
    void shouldGiveUpQuicklyOnASocketThatNeverAnswers() throws IOException {
        Path socket = dir.resolve("docker.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket)); // connections queue, nobody answers
            long start = System.nanoTime();
            Optional<String> reason = DockerEngine.pingUnix(socket, "stand-in");
            assertThat(reason).get().asString().contains("did not answer");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3500);
        }
    }

    @Test
    void shouldNameASocketThatIsNotThere() {
        Path socket = dir.resolve("absent.sock");
        assertThat(DockerEngine.pingUnix(socket, socket.toString())).get().asString().contains(socket.toString());
    }
}
