package io.github.kafkamailer.bench;

import jakarta.mail.Session;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * What the reference contenders set up alike: the outbox consumer of the hand-written services (NAIVE, POOLED)
 * and the mail session of the clients that keep their connections open (LIMIT, POOLED).
 */
final class ReferenceClients {
    private ReferenceClients() {
    }

    /** A consumer of the run's outbox from its start, committing only when told to (after a poll's emails). */
    static Properties outboxConsumer(String bootstrapServers, String group) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return c;
    }

    /** A session whose connections use TCP_NODELAY sockets, as a connection that is reused needs. */
    static Session reusedConnections(String host, String port) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", port);
        p.put("mail.smtp.socketFactory", new NoDelaySockets());
        p.put("mail.smtp.socketFactory.fallback", "false");
        return Session.getInstance(p);
    }
}
