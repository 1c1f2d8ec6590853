package io.github.kafkamailer.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka client's own log lines are for whoever debugs Kafka: a command that can't reach the cluster says so in
 * one line of its own instead of a page of reconnection warnings. {@code --verbose} brings them back.
 */
final class CliLogging {
    private CliLogging() {
    }

    /** Admin commands: Kafka's clients quiet but for errors, unless verbose. */
    static void kafkaClients(boolean verbose) {
        level("org.apache.kafka", verbose ? Level.WARN : Level.ERROR);
    }

    /**
     * The mailer itself: Kafka's warnings stay (they matter to an operator) but for the network client's
     * connection attempts, which repeat every second while a broker is away; the mailer says that once a minute.
     */
    static void runningMailer(boolean verbose) {
        level("org.apache.kafka", Level.WARN);
        level("org.apache.kafka.clients.NetworkClient", verbose ? Level.WARN : Level.ERROR);
    }

    private static void level(String name, Level level) {
        if (LoggerFactory.getLogger(name) instanceof Logger l) {
            l.setLevel(level);
        }
    }
}
