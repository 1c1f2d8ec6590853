package io.github.kafkamailer.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small SMTP server for tests that answers what the test tells it to: a 4xx or 5xx at MAIL FROM, at one
 * recipient or all of them, after DATA (always or for the next few messages), a dropped connection in the
 * middle of a message, a 421 that closes the connection, or no server at all ({@link #stop()}, then
 * {@link #start()} again on the same port). GreenMail can't do this; the mailer's retry and dead-letter routing
 * is decided by exactly these replies, so its tests need them.
 *
 * <p>It speaks just enough SMTP for Angus Mail (EHLO/HELO, optional {@code AUTH PLAIN LOGIN} accepting any
 * credentials, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no STARTTLS, no PIPELINING), one thread per connection,
 * and records the messages it accepted. Every switch is thread-safe and takes effect on the next command, even
 * on a connection already open. Bound to 127.0.0.1 only.
 */
public final class FaultySmtpServer implements AutoCloseable {
    private static final int DEFAULT_CODE = 250;
    private static final long JOIN_MILLIS = 5_000;

    /** A message the server accepted: the envelope and the message as sent, dot-stuffing undone. */
    public record Received(String sender, List<String> recipients, String message) {
        public Received {
            Objects.requireNonNull(sender, "sender");
            recipients = List.copyOf(recipients);
            Objects.requireNonNull(message, "message");
        }

        /** The first header of that name (case-insensitive), unfolded and trimmed; null when there is none. */
        public String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String h : unfoldedHeaders()) {
                if (h.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return h.substring(prefix.length()).strip();
                }
            }
            return null;
        }

        private List<String> unfoldedHeaders() {
            List<String> headers = new ArrayList<>();
            for (String line : message.split("\r\n", -1)) {
                if (line.isEmpty()) {
                    break;
                }
                boolean continuation = line.startsWith(" ") || line.startsWith("\t");
                if (continuation && !headers.isEmpty()) {
                    headers.set(headers.size() - 1, headers.get(headers.size() - 1) + line);
                } else {
                    headers.add(line);
                }
            }
            return headers;
        }
    }

    /** The next {@code remaining} messages get {@code code} after DATA. */
    private record Failing(int remaining, int code) {
    }

    // Behaviour: read by the connection threads at each command, switched by the test at any moment.
    private volatile boolean advertiseAuth;
    private volatile javax.net.ssl.SSLContext startTls;
    private volatile int mailFromCode = DEFAULT_CODE;
    private volatile int allRecipientsCode = DEFAULT_CODE;
    private volatile int maxRecipients = Integer.MAX_VALUE;
    private final Map<String, Integer> recipientCodes = new ConcurrentHashMap<>();
    private volatile int dataCode = DEFAULT_CODE;
    private volatile boolean dropMidData;
    private volatile int authCode = 235;
    private volatile int greetingCode = 220;
    private volatile int heloCode = DEFAULT_CODE;
    private final AtomicReference<Failing> failing = new AtomicReference<>(new Failing(0, DEFAULT_CODE));

    // What happened.
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> authenticatedUsers = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private volatile boolean silent;
    private volatile java.time.Duration dataReplyDelay = java.time.Duration.ZERO;

    // Lifecycle: guarded by this.
    private ServerSocket listener;
    private Thread acceptor;
    private int port = -1;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

    /**
     * Binds 127.0.0.1: a free port the first time, the same port on every later start (so a client configured
     * with it sees the server come back).
     *
     * @throws IllegalStateException when already running
     * @throws UncheckedIOException  when the port can't be bound
     */
    public synchronized FaultySmtpServer start() {
        if (listener != null) {
            throw new IllegalStateException("already running on port " + port);
        }
        try {
            ServerSocket s = new ServerSocket();
            // Lets a restart bind the port again while the connections closed by stop() linger in TIME_WAIT.
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Math.max(port, 0)));
            listener = s;
            port = s.getLocalPort();
            acceptor = new Thread(() -> acceptLoop(s), "faulty-smtp-accept-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:" + Math.max(port, 0), e);
        }
    }

    /** The port bound by the first {@link #start()}; it stays the same across stops and restarts. */
    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("not started yet");
        }
        return port;
    }

    public synchronized boolean isRunning() {
        return listener != null;
    }

    /**
     * Closes the listener and every open connection, without a reply: a client in the middle of a batch sees
     * the connection drop, and new connections are refused. Waits for the server's threads to end. Does nothing
     * when not running.
     */
    public void stop() {
        List<Thread> threads = new ArrayList<>();
        synchronized (this) {
            if (listener == null) {
                return;
            }
            closeQuietly(listener);
            listener = null;
            threads.add(acceptor);
            acceptor = null;
            for (Connection c : connections) {
                c.close();
                threads.add(c.thread);
            }
        }
        // Outside the lock: the acceptor may be waiting for it to register a connection it just accepted.
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The same as {@link #stop()}; idempotent. */
    @Override
    public void close() {
        stop();
    }

    // ---- Behaviour switches ----

    /** Advertises {@code AUTH PLAIN LOGIN} in the EHLO reply and accepts any credentials (default: off). */
    public FaultySmtpServer advertiseAuth(boolean on) {
        advertiseAuth = on;
        return this;
    }

    /** The reply to AUTH once the credentials are read (default 235: accepted); e.g. 535 refuses them. */
    public FaultySmtpServer replyToAuth(int code) {
        authCode = code == 235 ? code : checkedCode(code);
        return this;
    }

    /** Refuses every AUTH with 535, as a server does for a wrong password (default: off). */
    public FaultySmtpServer refuseAuth(boolean on) {
        return replyToAuth(on ? 535 : 235);
    }

    /** Offers STARTTLS with this server-side TLS context (null: no STARTTLS, the default). */
    public FaultySmtpServer offerStartTls(javax.net.ssl.SSLContext serverTls) {
        startTls = serverTls;
        return this;
    }

    /**
     * The greeting's code (default 220); any other, e.g. 421 "service not available", greets with it and closes
     * the connection, as a server that is down for now does.
     */
    public FaultySmtpServer replyToGreeting(int code) {
        greetingCode = code == 220 ? code : checkedCode(code);
        return this;
    }

    /** The reply to EHLO and HELO (default 250), e.g. 421 or 554. */
    public FaultySmtpServer replyToHelo(int code) {
        heloCode = checkedCode(code);
        return this;
    }

    /** The reply to MAIL FROM (default 250). */
    public FaultySmtpServer replyToMailFrom(int code) {
        mailFromCode = checkedCode(code);
        return this;
    }

    /** The reply to RCPT TO for this address, case-insensitive; it wins over {@link #replyToAllRecipients}. */
    public FaultySmtpServer replyToRecipient(String address, int code) {
        recipientCodes.put(address.toLowerCase(Locale.ROOT), checkedCode(code));
        return this;
    }

    /** The reply to RCPT TO for every recipient without a reply of its own (default 250). */
    public FaultySmtpServer replyToAllRecipients(int code) {
        allRecipientsCode = checkedCode(code);
        return this;
    }

    /**
     * Takes at most {@code n} recipients in one message and answers {@code 452 4.5.3 Too many recipients} to each
     * RCPT TO after them, as Postfix does after 1,000 ({@code smtpd_recipient_limit}).
     */
    public FaultySmtpServer maxRecipientsPerMessage(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1: " + n);
        }
        maxRecipients = n;
        return this;
    }

    /** The reply after the message's final "." (default 250); only a 2xx records the message. */
    public FaultySmtpServer replyToData(int code) {
        dataCode = checkedCode(code);
        return this;
    }

    /**
     * When on, the server reads the first line of each message after DATA and then closes the connection
     * without a reply, as a crash or a network cut would.
     */
    public FaultySmtpServer dropConnectionMidData(boolean on) {
        dropMidData = on;
        return this;
    }

    /**
     * The next {@code n} messages get {@code code} after DATA, then {@link #replyToData}'s reply again: "try
     * again later" for a while, then success.
     */
    public FaultySmtpServer failNextMessages(int n, int code) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("a failure code is 4xx or 5xx: " + code);
        }
        failing.set(new Failing(n, code));
        return this;
    }

    /** Every switch back to its default: accept everything, no AUTH. What was recorded is kept. */
    public FaultySmtpServer reset() {
        advertiseAuth = false;
        startTls = null;
        mailFromCode = DEFAULT_CODE;
        allRecipientsCode = DEFAULT_CODE;
        maxRecipients = Integer.MAX_VALUE;
        recipientCodes.clear();
        dataCode = DEFAULT_CODE;
        dropMidData = false;
        authCode = 235;
        greetingCode = 220;
        heloCode = DEFAULT_CODE;
        failing.set(new Failing(0, DEFAULT_CODE));
        return this;
    }

    // ---- What was recorded ----

    /** The messages accepted so far, oldest first (a snapshot). */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public int receivedCount() {
        return received.size();
    }

    /** The Message-ID header of each accepted message, as sent (with its angle brackets). */
    public List<String> messageIds() {
        return headers("Message-ID");
    }

    /** The Subject header of each accepted message, as sent (an encoded-word stays encoded). */
    public List<String> subjects() {
        return headers("Subject");
    }

    /** The user names that authenticated, one per successful AUTH. */
    public List<String> authenticatedUsers() {
        return List.copyOf(authenticatedUsers);
    }

    /** Connections accepted since the server was created or last cleared, across restarts. */
    public int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Connections open right now. */
    public int openConnections() {
        return connections.size();
    }

    /** The most connections open at once since the server was created or last cleared. */
    public int peakOpenConnections() {
        return peakOpen.get();
    }

    /**
     * A server that accepts connections and never says a word (no greeting, no reply): what a hung mail server
     * looks like to a client. Applies to connections accepted from now on.
     */
    public FaultySmtpServer silent(boolean on) {
        silent = on;
        return this;
    }

    /**
     * Takes each message (it counts in {@link #received()} at once) and answers its DATA only {@code delay} later:
     * a slow server, whose emails are in flight for that long after they arrived.
     */
    public FaultySmtpServer delayDataReply(java.time.Duration delay) {
        dataReplyDelay = delay;
        return this;
    }

    /** Forgets the messages, users and connection count recorded so far; the switches are kept. */
    public void clearReceived() {
        received.clear();
        authenticatedUsers.clear();
        connectionsAccepted.set(0);
        peakOpen.set(connections.size());
    }

    private List<String> headers(String name) {
        return received.stream().map(r -> r.header(name)).filter(Objects::nonNull).toList();
    }

    // ---- Internals ----

    private static int checkedCode(int code) {
        if (code < 200 || code > 599 || (code >= 300 && code < 400)) {
            throw new IllegalArgumentException("a reply code is 2xx, 4xx or 5xx: " + code);
        }
        return code;
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                return; // closed by stop()
            }
            synchronized (this) {
                if (listener != s) {
                    closeQuietly(socket); // stop() came between accept and here
                    return;
                }
                connectionsAccepted.incrementAndGet();
                Connection c = new Connection(socket);
                connections.add(c);
                peakOpen.accumulateAndGet(connections.size(), Math::max);
                c.thread.start();
            }
        }
    }

    /** Which failure, if any, the next message gets after DATA; takes one off the countdown. */
    private int nextDataCode() {
        Failing before = failing.getAndUpdate(f -> f.remaining() == 0 ? f : new Failing(f.remaining() - 1, f.code()));
        return before.remaining() == 0 ? dataCode : before.code();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing is all we wanted.
        }
    }

    /** The text of a reply, with an enhanced status code, marked as injected when it is a failure. */
    static String reply(int code) {
        if (code < 400) {
            return code + " 2.0.0 OK";
        }
        String text = switch (code) {
            case 421 -> "4.3.2 Service not available, closing transmission channel";
            case 450 -> "4.2.1 Mailbox unavailable";
            case 451 -> "4.3.0 Try again later";
            case 452 -> "4.3.1 Insufficient system storage";
            case 550 -> "5.1.1 Mailbox unavailable";
            case 551 -> "5.1.6 User not local";
            case 552 -> "5.3.4 Message size exceeds fixed limit";
            case 553 -> "5.1.3 Mailbox name not allowed";
            case 554 -> "5.7.1 Transaction failed";
            default -> (code / 100) + ".0.0 Failed";
        };
        return code + " " + text + " (injected)";
    }

    /** One client: reads commands until QUIT, a 421, the client leaving or {@link #stop()}. */
    private final class Connection implements Runnable {
        private final Socket socket;
        private final Thread thread;
        private InputStream in;
        private OutputStream out;
        private String sender;
        private final List<String> recipients = new ArrayList<>();
        private Socket tls;

        Connection(Socket socket) {
            this.socket = socket;
            this.thread = new Thread(this, "faulty-smtp-" + socket.getPort());
            this.thread.setDaemon(true);
        }

        void close() {
            if (tls != null) {
                closeQuietly(tls);
            }
            closeQuietly(socket);
        }

        @Override
        public void run() {
            try {
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream());
                out = new BufferedOutputStream(socket.getOutputStream());
                if (silent) {
                    while (in.read() >= 0) {
                        // Hung: reads whatever comes and never answers, until the client gives up.
                    }
                    return;
                }
                int greeting = greetingCode;
                if (greeting != 220) {
                    send(greeting + " localhost Service not available, closing transmission channel");
                    return;
                }
                send("220 localhost ESMTP FaultySmtpServer");
                String line;
                while ((line = readLine()) != null) {
                    if (!handle(line)) {
                        break;
                    }
                }
            } catch (IOException e) {
                // The client left or stop() closed the socket: this connection is over, the server goes on.
            } finally {
                close();
                connections.remove(this);
            }
        }

        /** False when the connection is to be closed. */
        private boolean handle(String line) throws IOException {
            int space = line.indexOf(' ');
            String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String arg = space < 0 ? "" : line.substring(space + 1).strip();
            switch (verb) {
                case "EHLO", "HELO" -> {
                    int helo = heloCode;
                    if (helo != DEFAULT_CODE) {
                        send(helo + " localhost Not now");
                        return helo != 421;
                    }
                    if (verb.equals("EHLO")) {
                        ehlo(arg);
                        return true;
                    }
                    resetTransaction();
                    send("250 localhost");
                }
                case "AUTH" -> auth(arg);
                case "STARTTLS" -> startTls();
                case "MAIL" -> {
                    return mailFrom(arg);
                }
                case "RCPT" -> {
                    return rcptTo(arg);
                }
                case "DATA" -> {
                    return data();
                }
                case "RSET" -> {
                    resetTransaction();
                    send("250 2.0.0 OK");
                }
                case "NOOP" -> send("250 2.0.0 OK");
                case "QUIT" -> {
                    send("221 2.0.0 Bye");
                    return false;
                }
                default -> send("500 5.5.2 Command not recognized");
            }
            return true;
        }

        private void ehlo(String arg) throws IOException {
            resetTransaction();
            List<String> lines = new ArrayList<>();
            lines.add("localhost Hello " + arg);
            lines.add("SIZE 52428800");
            lines.add("8BITMIME");
            if (startTls != null && tls == null) {
                lines.add("STARTTLS");
            }
            if (advertiseAuth) {
                lines.add("AUTH PLAIN LOGIN");
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                sb.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
            }
            sendRaw(sb.toString());
        }

        /** Upgrades the connection to TLS with the server context given to {@link #offerStartTls}. */
        private void startTls() throws IOException {
            javax.net.ssl.SSLContext context = startTls;
            if (context == null || tls != null) {
                send("502 5.5.1 STARTTLS not available");
                return;
            }
            send("220 2.0.0 Ready to start TLS");
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            s.setUseClientMode(false);
            s.startHandshake();
            tls = s;
            in = new BufferedInputStream(s.getInputStream());
            out = new BufferedOutputStream(s.getOutputStream());
            resetTransaction();
        }

        /** Any credentials pass; the user name is recorded so a test can check that AUTH happened. */
        private void auth(String arg) throws IOException {
            String[] parts = arg.split(" ", 2);
            String mechanism = parts[0].toUpperCase(Locale.ROOT);
            String initial = parts.length > 1 ? parts[1].strip() : null;
            if (!advertiseAuth || !(mechanism.equals("PLAIN") || mechanism.equals("LOGIN"))) {
                send("504 5.5.4 Unrecognized authentication type");
                return;
            }
            String user;
            if (mechanism.equals("PLAIN")) {
                String response = initial != null ? initial : challenge("");
                // authzid NUL authcid NUL password
                String[] fields = decode(response).split("\0", -1);
                user = fields.length == 3 ? fields[1] : null;
            } else {
                user = decode(initial != null ? initial : challenge("VXNlcm5hbWU6")); // "Username:"
                if (user != null) {
                    challenge("UGFzc3dvcmQ6"); // "Password:", any will do
                }
            }
            if (user == null) {
                send("501 5.5.2 Cannot decode response");
                return;
            }
            if (authCode != 235) {
                send(authCode == 535 ? "535 5.7.8 Authentication credentials invalid (injected)" : reply(authCode));
                return;
            }
            authenticatedUsers.add(user);
            send("235 2.7.0 Authentication successful");
        }

        private String challenge(String base64) throws IOException {
            send("334 " + base64);
            String line = readLine();
            if (line == null) {
                throw new IOException("client left during AUTH");
            }
            return line.strip();
        }

        private String decode(String base64) {
            if (base64 == null || base64.equals("*")) {
                return null;
            }
            try {
                return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private boolean mailFrom(String arg) throws IOException {
            String address = pathOf(arg, "FROM:");
            if (address == null) {
                send("501 5.5.4 Syntax: MAIL FROM:<address>");
                return true;
            }
            if (sender != null) {
                send("503 5.5.1 Sender already given");
                return true;
            }
            int code = mailFromCode;
            if (code >= 400) {
                return refuse(code);
            }
            sender = address;
            send(code + " 2.1.0 Sender OK");
            return true;
        }

        private boolean rcptTo(String arg) throws IOException {
            String address = pathOf(arg, "TO:");
            if (address == null) {
                send("501 5.5.4 Syntax: RCPT TO:<address>");
                return true;
            }
            if (sender == null) {
                send("503 5.5.1 Need MAIL before RCPT");
                return true;
            }
            if (recipients.size() >= maxRecipients) {
                send("452 4.5.3 Too many recipients (injected)");
                return true;
            }
            int code = recipientCodes.getOrDefault(address.toLowerCase(Locale.ROOT), allRecipientsCode);
            if (code >= 400) {
                return refuse(code);
            }
            recipients.add(address);
            send(code + " 2.1.5 Recipient OK");
            return true;
        }

        private boolean data() throws IOException {
            if (sender == null || recipients.isEmpty()) {
                send("503 5.5.1 Need MAIL and RCPT before DATA");
                return true;
            }
            send("354 End data with <CR><LF>.<CR><LF>");
            StringBuilder message = new StringBuilder();
            String line;
            while ((line = readLine()) != null) {
                if (dropMidData) {
                    return false; // after the first line: close without a word
                }
                if (line.equals(".")) {
                    break;
                }
                message.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
            }
            if (line == null) {
                return false;
            }
            int code = nextDataCode();
            if (code >= 400) {
                resetTransaction();
                return refuse(code);
            }
            received.add(new Received(sender, recipients, message.toString()));
            resetTransaction();
            if (!dataReplyDelay.isZero()) {
                // A server slow to confirm: the message is taken (counted) before the client hears so.
                try {
                    Thread.sleep(dataReplyDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            send(code + " 2.0.0 Message accepted");
            return true;
        }

        /** Sends a failure reply; a 421 closes the connection, as real servers do. */
        private boolean refuse(int code) throws IOException {
            send(reply(code));
            return code != 421;
        }

        private void resetTransaction() {
            sender = null;
            recipients.clear();
        }

        /** The address in {@code FROM:<a@b> PARAMS}, without the brackets; null when the syntax is wrong. */
        private String pathOf(String arg, String keyword) {
            if (!arg.toUpperCase(Locale.ROOT).startsWith(keyword)) {
                return null;
            }
            String rest = arg.substring(keyword.length()).strip();
            if (rest.startsWith("<")) {
                int end = rest.indexOf('>');
                return end < 0 ? null : rest.substring(1, end);
            }
            int space = rest.indexOf(' ');
            String bare = space < 0 ? rest : rest.substring(0, space);
            return bare.isEmpty() ? null : bare;
        }

        private void send(String reply) throws IOException {
            sendRaw(reply + "\r\n");
        }

        private void sendRaw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** A line without its CRLF (or bare LF), decoded as UTF-8; null at the end of the stream. */
        private String readLine() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = buf.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.UTF_8);
                }
                buf.write(b);
            }
            return null;
        }
    }
}
