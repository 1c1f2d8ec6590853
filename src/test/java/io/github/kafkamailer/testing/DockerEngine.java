package io.github.kafkamailer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a Docker engine answers here, found out in well under a second: the tests that run containers are
 * skipped with this reason where none runs (a {@code docker} client alone is not enough), rather than wait for
 * Testcontainers' own, slower and noisier, search. Asks {@code GET /_ping} where Docker clients look:
 * {@code DOCKER_HOST} (unix or tcp), else the usual sockets (system, Docker Desktop, rootless).
 */
public final class DockerEngine {
    private static final int TIMEOUT_MS = 2000;
    private static Optional<String> unavailable;

    private DockerEngine() {
    }

    /** Empty when an engine answered; otherwise why the container tests can't run. Probed once per JVM. */
    public static synchronized Optional<String> unavailableReason() {
        if (unavailable == null) {
            unavailable = probe();
        }
        return unavailable;
    }

    private static Optional<String> probe() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            if (host.startsWith("unix://")) {
                return pingUnix(Path.of(host.substring("unix://".length())), "DOCKER_HOST=" + host);
            }
            if (host.startsWith("tcp://")) {
                URI uri = URI.create(host);
                return pingTcp(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort(), "DOCKER_HOST=" + host);
            }
            return Optional.empty(); // ssh:// and the like: let Testcontainers try
        }
        List<Path> sockets = new ArrayList<>(List.of(Path.of("/var/run/docker.sock")));
        sockets.add(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
        }
        List<String> tried = new ArrayList<>();
        for (Path socket : sockets) {
            if (!Files.exists(socket)) {
                tried.add(socket + " does not exist");
                continue;
            }
            Optional<String> failure = pingUnix(socket, socket.toString());
            if (failure.isEmpty()) {
                return failure;
            }
            tried.add(failure.get());
        }
        return Optional.of("no Docker engine answers (" + String.join("; ", tried)
                + "); set DOCKER_HOST to use another");
    }

    static Optional<String> pingUnix(Path socket, String where) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request()));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(512);
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (buffer.position() < 12) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || selector.select(left) == 0) {
                    return Optional.of(where + " did not answer within " + TIMEOUT_MS + " ms");
                }
                selector.selectedKeys().clear();
                if (channel.read(buffer) < 0) {
                    break;
                }
            }
            return judge(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII), where);
        } catch (IOException e) {
            return Optional.of(where + ": " + e.getMessage());
        }
    }

    private static Optional<String> pingTcp(String host, int port, String where) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request());
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            return judge(new String(head, StandardCharsets.US_ASCII), where);
        } catch (IOException e) {
            return Optional.of(where + ": " + e.getMessage());
        }
    }

    private static byte[] request() {
        return "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static Optional<String> judge(String answer, String where) {
        String statusLine = answer.lines().findFirst().orElse("").strip();
        return statusLine.matches("HTTP/1\\.[01] 200\\b.*") ? Optional.empty()
                : Optional.of(where + " answered '" + statusLine + "' to GET /_ping");
    }
}
