package io.github.kafkamailer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LIMIT-k, the benchmark's upper reference: a plain Angus Mail client, no Kafka. It reads the events from a
 * file, builds every MIME message before it starts sending, then sends them over {@code k} connections, each
 * opened once and reused, with TCP_NODELAY sockets. Whatever the mailer adds on top of this is its overhead.
 *
 * <p>Child process of {@link BenchMain}: after the last message it waits for its standard input to close, so
 * that its CPU time and memory can still be read from {@code /proc}.
 */
public final class LimitClient {
    private LimitClient() {
    }

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, "--events", "--host", "--port", "--connections", "--postmaster");
        Path events = Path.of(a.get("--events"));
        int connections = Integer.parseInt(a.get("--connections"));
        Session session = ReferenceClients.reusedConnections(a.get("--host"), a.get("--port"));

        ObjectMapper json = new ObjectMapper();
        List<MimeMessage> messages = new ArrayList<>();
        for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                messages.add(PlainMessages.build(session, json.readTree(line), a.get("--postmaster")));
            }
        }
        System.out.println("Built " + messages.size() + " messages; sending over " + connections + " connection(s)");

        AtomicInteger next = new AtomicInteger();
        List<Thread> lanes = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> {
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    int n;
                    while ((n = next.getAndIncrement()) < messages.size()) {
                        MimeMessage m = messages.get(n);
                        transport.sendMessage(m, m.getAllRecipients());
                    }
                } catch (MessagingException e) {
                    failures.add(e);
                }
            }, "limit-lane-" + i);
            t.start();
            lanes.add(t);
        }
        for (Thread t : lanes) {
            t.join();
        }
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace();
            System.exit(1);
        }
        System.out.println("Sent " + messages.size());
        awaitStdinClosed();
    }

    /** Keeps the process (and its /proc entry) alive until the benchmark has read it. */
    static void awaitStdinClosed() throws IOException {
        while (System.in.read() >= 0) {
            // nothing: only the end matters
        }
    }
}
