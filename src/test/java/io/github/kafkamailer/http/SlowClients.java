package io.github.kafkamailer.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Raw HTTP/1.1 over sockets, as a slow or hostile client writes it, and a probe that times its answer. */
final class SlowClients implements AutoCloseable {
    private final List<Socket> open = new ArrayList<>();

    /** A connection that sends {@code bytes} and then nothing more. */
    Socket stall(int port, String bytes) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        open.add(s);
        s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /**
     * Whether the server closed {@code s} (end of stream or reset) within {@code within}; what it sent before (an
     * answer to a request that needed no more body) is skipped.
     */
    static boolean closedWithin(Socket s, Duration within) throws IOException {
        long end = System.nanoTime() + within.toNanos();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }

    /** An answer: its status, then its header lines and body as text, and how long it took. */
    record Answer(int status, String rest, Duration took) {
    }

    static Answer get(int port, String path) throws IOException {
        return request(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code raw} on a new connection and reads the whole answer (status line, headers, body). */
    static Answer request(int port, String raw) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            if (statusLine == null) {
                throw new IOException("closed without an answer");
            }
            StringBuilder all = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                all.append(line).append('\n');
            }
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), all.toString(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public void close() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
