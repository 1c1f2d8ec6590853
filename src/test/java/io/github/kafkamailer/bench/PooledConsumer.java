package io.github.kafkamailer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * POOLED-n, the reference the mailer is held to (issue 17): a careful hand-written service. One KafkaConsumer
 * reads the outbox; {@code n} lanes, each a thread of its own that keeps ONE SMTP connection open (TCP_NODELAY)
 * and reuses it; each poll's records are dealt over the lanes, each lane parses its records with Jackson, builds
 * the MIME messages and sends them, and once all of the poll's emails are sent the offsets are committed
 * ({@code commitSync}). No state, no retries, no status: at least once, the least a fast mailer does.
 *
 * <p>Child process of {@link BenchMain}; runs until it is stopped.
 */
public final class PooledConsumer implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<String, byte[]> consumer;
    private final List<Lane> lanes = new ArrayList<>();

    PooledConsumer(Consumer<String, byte[]> consumer, Session session, String postmaster, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, not " + connections);
        }
        this.consumer = consumer;
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < connections; i++) {
            lanes.add(new Lane(session, postmaster, json, i));
        }
    }

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, "--bootstrap-servers", "--topic", "--group", "--host", "--port", "--connections",
                "--postmaster");
        Session session = ReferenceClients.reusedConnections(a.get("--host"), a.get("--port"));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                ReferenceClients.outboxConsumer(a.get("--bootstrap-servers"), a.get("--group")),
                new StringDeserializer(), new ByteArrayDeserializer());
             PooledConsumer pooled = new PooledConsumer(consumer, session, a.get("--postmaster"),
                     Integer.parseInt(a.get("--connections")))) {
            consumer.subscribe(List.of(a.get("--topic")));
            while (true) {
                pooled.pollOnce(POLL);
            }
        }
    }

    /**
     * One poll: its records dealt over the lanes in turn, sent, and, once every lane is done with its share, the
     * poll's offsets committed. Returns how many records the poll brought.
     */
    int pollOnce(Duration timeout) throws InterruptedException, ExecutionException {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        if (records.isEmpty()) {
            return 0;
        }
        List<List<ConsumerRecord<String, byte[]>>> shares = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            shares.add(new ArrayList<>());
        }
        int next = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            shares.get(next).add(r);
            next = (next + 1) % lanes.size();
        }
        List<Future<?>> sending = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            if (!shares.get(i).isEmpty()) {
                sending.add(lanes.get(i).send(shares.get(i)));
            }
        }
        for (Future<?> f : sending) {
            f.get();
        }
        consumer.commitSync();
        return records.count();
    }

    /** Closes each lane's connection; the consumer is its owner's to close. */
    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.close();
        }
    }

    /** One thread and the one SMTP connection it keeps: opened at its first email, again only after a failure. */
    private static final class Lane {
        private final Session session;
        private final String postmaster;
        private final ObjectMapper json;
        private final ExecutorService thread;
        private Transport transport;

        Lane(Session session, String postmaster, ObjectMapper json, int index) {
            this.session = session;
            this.postmaster = postmaster;
            this.json = json;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "pooled-lane-" + index);
                t.setDaemon(true);
                return t;
            });
        }

        Future<?> send(List<ConsumerRecord<String, byte[]>> share) {
            return thread.submit(() -> {
                for (ConsumerRecord<String, byte[]> r : share) {
                    sendOne(r);
                }
            });
        }

        /** Runs on the lane's thread only. A failed email is reported and left: no retries. */
        private void sendOne(ConsumerRecord<String, byte[]> r) {
            try {
                if (transport == null) {
                    transport = session.getTransport("smtp");
                    transport.connect();
                }
                MimeMessage m = PlainMessages.build(session, json.readTree(r.value()), postmaster);
                transport.sendMessage(m, m.getAllRecipients());
            } catch (Exception e) {
                System.err.println("Failed " + r.key() + ": " + e);
                if (e instanceof MessagingException && transport != null && !transport.isConnected()) {
                    // The connection is gone (isConnected asks the server, so only after a failure): the next
                    // email opens a new one.
                    disconnect();
                }
            }
        }

        private void disconnect() {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException e) {
                    // closing a broken connection: nothing more to do
                }
                transport = null;
            }
        }

        void close() {
            try {
                thread.submit(this::disconnect).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // stopping anyway
            }
            thread.shutdownNow();
        }
    }
}
