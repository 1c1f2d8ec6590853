package io.github.kafkamailer.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local SMTP server that accepts everything and keeps nothing but counts: one thread per connection,
 * TCP_NODELAY, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT (PIPELINING offered and honoured: replies are
 * flushed only once the client has nothing more buffered). For each accepted message it notes when it came and
 * reads two headers: {@code X-Bench-Seq} (so duplicates can be told apart) and {@code X-Bench-Published}
 * (epoch millis set by the publisher: publish-to-accepted latency).
 *
 * <p>It is meant to be faster than anything the benchmark points at it, so that it is never the limit it
 * measures: it parses nothing of the body and allocates almost nothing per line.
 */
final class SmtpSink implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Tally tally = new Tally();

    /** What one contender's run delivered. */
    static final class Tally {
        private final BitSet seen = new BitSet();
        private int accepted;
        private int duplicates;
        private int sessions;
        private long firstNanos;
        private long lastNanos;
        private final List<Long> latenciesMillis = new ArrayList<>();
        /** The {@code X-Bench-Seq} of each latency, so that a run can tell its kinds of emails apart. */
        private final List<Integer> latencySeqs = new ArrayList<>();

        private synchronized void accepted(long nanos, int seq, long publishedMillis, long nowMillis) {
            if (accepted == 0) {
                firstNanos = nanos;
            }
            lastNanos = nanos;
            accepted++;
            if (seq >= 0) {
                if (seen.get(seq)) {
                    duplicates++;
                } else {
                    seen.set(seq);
                }
            }
            if (publishedMillis > 0) {
                latenciesMillis.add(nowMillis - publishedMillis);
                latencySeqs.add(seq);
            }
        }

        private synchronized void session() {
            sessions++;
        }

        /** Distinct emails accepted (by {@code X-Bench-Seq}). */
        synchronized int distinct() {
            return seen.cardinality();
        }

        synchronized int distinctFrom(int fromSeq) {
            return seen.get(fromSeq, Math.max(fromSeq, seen.length())).cardinality();
        }

        synchronized int accepted() {
            return accepted;
        }

        synchronized int duplicates() {
            return duplicates;
        }

        synchronized int sessions() {
            return sessions;
        }

        synchronized long firstNanos() {
            return firstNanos;
        }

        synchronized long lastNanos() {
            return lastNanos;
        }

        synchronized List<Long> latenciesMillis() {
            return new ArrayList<>(latenciesMillis);
        }

        /** Distinct emails accepted with a sequence number from {@code fromSeq} (inclusive) to {@code toSeq}. */
        synchronized int distinctBetween(int fromSeq, int toSeq) {
            return seen.get(fromSeq, Math.max(fromSeq, toSeq)).cardinality();
        }

        /** The latencies of the emails with a sequence number from {@code fromSeq} (inclusive) to {@code toSeq}. */
        synchronized List<Long> latenciesMillis(int fromSeq, int toSeq) {
            List<Long> l = new ArrayList<>();
            for (int i = 0; i < latenciesMillis.size(); i++) {
                int seq = latencySeqs.get(i);
                if (seq >= fromSeq && seq < toSeq) {
                    l.add(latenciesMillis.get(i));
                }
            }
            return l;
        }
    }

    private SmtpSink(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "smtp-sink-accept");
        acceptor.setDaemon(true);
    }

    static SmtpSink start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        SmtpSink sink = new SmtpSink(s);
        sink.acceptor.start();
        return sink;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Starts counting afresh (a new contender run); returns the new tally. */
    Tally reset() {
        tally = new Tally();
        return tally;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                open.add(socket);
                Thread t = new Thread(() -> serve(socket), "smtp-sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        Tally t = tally;
        t.session();
        try (socket; InputStream rawIn = socket.getInputStream(); OutputStream rawOut = socket.getOutputStream()) {
            LineReader in = new LineReader(rawIn);
            OutputStream out = new BufferedOutputStream(rawOut, 8 * 1024);
            reply(out, in, "220 bench-sink ESMTP\r\n");
            boolean mail = false;
            int rcpts = 0;
            while (true) {
                int n = in.readLine();
                if (n < 0) {
                    return;
                }
                String verb = in.verb();
                switch (verb) {
                    case "EHLO" -> reply(out, in, "250-bench-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n");
                    case "HELO" -> reply(out, in, "250 bench-sink\r\n");
                    case "MAIL" -> {
                        mail = true;
                        rcpts = 0;
                        reply(out, in, "250 2.1.0 Ok\r\n");
                    }
                    case "RCPT" -> {
                        if (mail) {
                            rcpts++;
                            reply(out, in, "250 2.1.5 Ok\r\n");
                        } else {
                            reply(out, in, "503 5.5.1 MAIL first\r\n");
                        }
                    }
                    case "DATA" -> {
                        if (!mail || rcpts == 0) {
                            reply(out, in, "503 5.5.1 RCPT first\r\n");
                            continue;
                        }
                        reply(out, in, "354 End data with <CR><LF>.<CR><LF>\r\n");
                        if (!readMessage(in, t)) {
                            return;
                        }
                        mail = false;
                        rcpts = 0;
                        reply(out, in, "250 2.0.0 Ok: queued\r\n");
                    }
                    case "RSET" -> {
                        mail = false;
                        rcpts = 0;
                        reply(out, in, "250 2.0.0 Ok\r\n");
                    }
                    case "NOOP" -> reply(out, in, "250 2.0.0 Ok\r\n");
                    case "QUIT" -> {
                        reply(out, in, "221 2.0.0 Bye\r\n");
                        return;
                    }
                    default -> reply(out, in, "502 5.5.2 Command not recognized\r\n");
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to count
        } finally {
            open.remove(socket);
        }
    }

    /** Reads up to the lone dot; false when the connection ended first (the message is not accepted). */
    private static boolean readMessage(LineReader in, Tally t) throws IOException {
        boolean headers = true;
        int seq = -1;
        long published = -1;
        while (true) {
            int n = in.readLine();
            if (n < 0) {
                return false;
            }
            if (in.isLoneDot()) {
                t.accepted(System.nanoTime(), seq, published, System.currentTimeMillis());
                return true;
            }
            if (headers) {
                if (n == 0) {
                    headers = false;
                } else if (in.startsWithIgnoreCase(BenchEmails.SEQ_HEADER)) {
                    seq = (int) in.headerNumber(BenchEmails.SEQ_HEADER.length());
                } else if (in.startsWithIgnoreCase(BenchEmails.PUBLISHED_HEADER)) {
                    published = in.headerNumber(BenchEmails.PUBLISHED_HEADER.length());
                }
            }
        }
    }

    /** Writes a reply; sends it now unless more pipelined commands are already waiting. */
    private static void reply(OutputStream out, LineReader in, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        if (in.available() == 0) {
            out.flush();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Reads CRLF-terminated lines into one reusable buffer, from a buffer of its own (no lock per byte). */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;
        private byte[] line = new byte[1024];
        private int length;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The line's length without CRLF, or -1 at the end of the stream. */
        int readLine() throws IOException {
            length = 0;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf, 0, buf.length);
                    if (n < 0) {
                        return length > 0 ? length : -1;
                    }
                    pos = 0;
                    limit = n;
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    if (length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return length;
                }
                if (length == line.length) {
                    line = java.util.Arrays.copyOf(line, line.length * 2);
                }
                line[length++] = c;
            }
        }

        /** Bytes the client has already sent that are not read yet (pipelined commands). */
        int available() throws IOException {
            return (limit - pos) + in.available();
        }

        String verb() {
            int end = 0;
            while (end < length && end < 8 && line[end] != ' ') {
                end++;
            }
            return new String(line, 0, end, StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
        }

        boolean isLoneDot() {
            return length == 1 && line[0] == '.';
        }

        boolean startsWithIgnoreCase(String prefix) {
            if (length <= prefix.length() || line[prefix.length()] != ':') {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (Character.toLowerCase((char) line[i]) != Character.toLowerCase(prefix.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** The decimal number after {@code name:}, or -1. */
        long headerNumber(int nameLength) {
            long v = 0;
            boolean any = false;
            for (int i = nameLength + 1; i < length; i++) {
                byte b = line[i];
                if (b >= '0' && b <= '9') {
                    v = v * 10 + (b - '0');
                    any = true;
                } else if (any) {
                    break;
                }
            }
            return any ? v : -1;
        }
    }
}
