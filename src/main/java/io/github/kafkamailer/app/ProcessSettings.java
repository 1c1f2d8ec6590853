package io.github.kafkamailer.app;

import io.github.kafkamailer.topology.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The process configuration (CONTRACT.md, "Running it"): a properties file holding any Kafka Streams or client
 * property and the mailer's own {@code mailer.*} keys. Flags win over everything; for {@code bootstrap.servers}
 * the environment variable {@code KAFKA_BOOTSTRAP_SERVERS} comes next, then the file.
 */
public final class ProcessSettings {
    public static final String DEFAULT_FILE = "config/mailer.properties";
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    public static final String TOPIC_OUTBOX = "mailer.topic.outbox";
    public static final String TOPIC_CONFIG = "mailer.topic.config";
    public static final String TOPIC_RETRY = "mailer.topic.retry";
    public static final String TOPIC_DLQ = "mailer.topic.dlq";
    public static final String TOPIC_STATUS = "mailer.topic.status";
    public static final String HTTP_PORT = "mailer.http.port";
    public static final String HTTP_BIND = "mailer.http.bind";
    public static final String TICK_MS = "mailer.tick.ms";
    public static final String BATCH_SIZE = "mailer.batch.size";
    public static final String SENDER_THREADS = "mailer.sender.threads";
    public static final String SMTP_TIMEOUT_SECONDS = "mailer.smtp.timeout.seconds";
    /** The admin console's password (CONTRACT.md, "Admin console"); the environment variable wins. */
    public static final String CONSOLE_PASSWORD = "console.password";
    public static final String CONSOLE_PASSWORD_ENV = "MAILER_ADMIN_PASSWORD";
    /** Minutes a console session lives without a request (default 30). */
    public static final String CONSOLE_SESSION_MINUTES = "console.session.minutes";
    /** Partitions and replication factor of the topics the mailer creates; -1 (the default) is the broker's. */
    public static final String TOPIC_PARTITIONS = "mailer.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "mailer.topic.replication.factor";

    private final Properties props;

    private ProcessSettings(Properties props) {
        this.props = props;
    }

    /**
     * Reads {@code file} (the default file may be absent; a named one must exist), then applies the environment's
     * bootstrap servers, then the flags.
     */
    public static ProcessSettings load(Path file, boolean fileNamedByUser, Map<String, String> flags,
                                       Map<String, String> env) {
        Properties p = new Properties();
        if (file != null && Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        } else if (file != null && fileNamedByUser) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        // Flag, then environment, then file: an explicit flag must never lose to an exported variable.
        String envBootstrap = env.get(BOOTSTRAP_ENV);
        if (envBootstrap != null && !envBootstrap.isBlank()) {
            p.setProperty("bootstrap.servers", envBootstrap);
        }
        flags.forEach((k, v) -> {
            if (v != null) {
                p.setProperty(k, v);
            }
        });
        return new ProcessSettings(p);
    }

    public static ProcessSettings of(Properties props) {
        Properties copy = new Properties();
        copy.putAll(props);
        return new ProcessSettings(copy);
    }

    /** A copy with {@code key} set to {@code value} unless it is set already. */
    public ProcessSettings withDefault(String key, String value) {
        Properties copy = new Properties();
        copy.putAll(props);
        if (copy.getProperty(key) == null) {
            copy.setProperty(key, value);
        }
        return new ProcessSettings(copy);
    }

    public String bootstrapServers() {
        String b = props.getProperty("bootstrap.servers");
        if (b == null || b.isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is not set: give --bootstrap-servers, set "
                    + BOOTSTRAP_ENV + ", or put it in the config file");
        }
        return b;
    }

    public TopicNames topics() {
        TopicNames d = TopicNames.defaults();
        return new TopicNames(get(TOPIC_OUTBOX, d.outbox()), get(TOPIC_CONFIG, d.config()),
                get(TOPIC_RETRY, d.retry()), get(TOPIC_DLQ, d.dlq()), get(TOPIC_STATUS, d.status()));
    }

    /** The HTTP server's port: 8080 by default, 0 for a free one, -1 for none. */
    public int httpPort() {
        return Integer.parseInt(get(HTTP_PORT, "8080"));
    }

    /** Loopback by default: metrics and health are for the machine's own scraper unless opened on purpose. */
    public String httpBind() {
        return get(HTTP_BIND, "127.0.0.1");
    }

    public Duration tick() {
        return Duration.ofMillis(Long.parseLong(get(TICK_MS, "100")));
    }

    /** Emails handed to a sender at a time: the most a crash can leave sent but unrecorded. */
    public int batchSize() {
        return Integer.parseInt(get(BATCH_SIZE, "200"));
    }

    /** Threads that talk to mail servers, so that tenants send in parallel and never on the stream thread. */
    public int senderThreads() {
        return Integer.parseInt(get(SENDER_THREADS, "4"));
    }

    public Duration smtpTimeout() {
        return Duration.ofSeconds(Long.parseLong(get(SMTP_TIMEOUT_SECONDS, "30")));
    }

    /**
     * The admin console's password: {@value #CONSOLE_PASSWORD_ENV} from {@code env}, else {@value #CONSOLE_PASSWORD};
     * empty when neither is set, and then the console is off (404).
     */
    public java.util.Optional<String> consolePassword(Map<String, String> env) {
        String fromEnv = env.get(CONSOLE_PASSWORD_ENV);
        String p = fromEnv != null && !fromEnv.isEmpty() ? fromEnv : props.getProperty(CONSOLE_PASSWORD);
        return p == null || p.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(p);
    }

    public Duration consoleSessionIdle() {
        return Duration.ofMinutes(Long.parseLong(get(CONSOLE_SESSION_MINUTES, "30")));
    }

    public String get(String key, String fallback) {
        return props.getProperty(key, fallback);
    }

    /** The properties meant for Kafka: everything but the mailer's own keys. */
    public Properties kafkaProperties() {
        Properties k = new Properties();
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("mailer.") && !name.startsWith("console.")) {
                k.setProperty(name, props.getProperty(name));
            }
        }
        return k;
    }
}
