package io.github.kafkamailer.app;

import io.github.kafkamailer.console.ConsoleSettings;
import io.github.kafkamailer.console.TrustedProxies;
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
    /** A second HTTP server serving only /health, /ready and /metrics, on its own threads (default -1: off). */
    public static final String HTTP_MANAGEMENT_PORT = "mailer.http.management.port";
    /**
     * The token instances send each other ({@code Authorization: Bearer}) on {@code /api/...}; secret. Unset, it
     * is derived from the admin password when there is one.
     */
    public static final String HTTP_PEER_TOKEN = "mailer.http.peer.token";
    public static final String HTTP_PEER_TOKEN_ENV = "MAILER_HTTP_PEER_TOKEN";
    /** A peer token shorter than this is refused: it guards the tenants' names and the servers' replies. */
    public static final int PEER_TOKEN_MIN_LENGTH = 16;
    public static final String TICK_MS = "mailer.tick.ms";
    public static final String BATCH_SIZE = "mailer.batch.size";
    public static final String BATCH_MAX_BYTES = "mailer.batch.max.bytes";
    public static final String INFLIGHT_MAX_BYTES = "mailer.inflight.max.bytes";
    public static final String SEND_DEADLINE_SECONDS = "mailer.send.deadline.seconds";
    /** Sender connections (lanes, each a thread) at once over all tenants; runs beyond it wait their turn. */
    public static final String SEND_MAX_CONNECTIONS = "mailer.send.max.connections";
    public static final String SMTP_TIMEOUT_SECONDS = "mailer.smtp.timeout.seconds";
    /**
     * Where peers reach this instance's HTTP server (Kafka Streams' {@code application.server}, host:port): a
     * Kubernetes pod sets it to its stable name, {@code $(POD_NAME).<headless service>.<namespace>.svc:8080}.
     */
    public static final String APPLICATION_SERVER_ENV = "MAILER_APPLICATION_SERVER";
    /**
     * Environment variables that set a process setting, for containers (a Docker image sets
     * {@code MAILER_HTTP_BIND=0.0.0.0}): they win over the file and lose to the flags.
     */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "MAILER_HTTP_BIND", HTTP_BIND,
            "MAILER_HTTP_PORT", HTTP_PORT,
            "MAILER_HTTP_MANAGEMENT_PORT", HTTP_MANAGEMENT_PORT,
            HTTP_PEER_TOKEN_ENV, HTTP_PEER_TOKEN,
            "MAILER_LOG_FORMAT", LogFormat.KEY,
            "MAILER_SEND_MAX_CONNECTIONS", SEND_MAX_CONNECTIONS,
            APPLICATION_SERVER_ENV, "application.server",
            BOOTSTRAP_ENV, "bootstrap.servers");
    public static final String SECRETS_DIRS = "mailer.secrets.dirs";
    public static final String SECRETS_ENV_PREFIX = "mailer.secrets.env.prefix";
    /** The admin console's password (CONTRACT.md, "Admin console"); the environment variable wins. */
    public static final String CONSOLE_PASSWORD = "console.password";
    public static final String CONSOLE_PASSWORD_ENV = "MAILER_ADMIN_PASSWORD";
    /**
     * Every environment variable the mailer reads for itself. None of them may be named by a tenant's secret
     * reference, whatever {@link #SECRETS_ENV_PREFIX} allows: anyone who may write {@code mail.config} could
     * otherwise point {@code smtpPassword} at {@code ${env:MAILER_ADMIN_PASSWORD}} and its own {@code smtpHost},
     * and receive the console's password in AUTH.
     */
    public static java.util.Set<String> ownVariables() {
        java.util.Set<String> own = new java.util.TreeSet<>(ENVIRONMENT.keySet());
        own.add(CONSOLE_PASSWORD_ENV);
        own.add(HTTP_PEER_TOKEN_ENV);
        return java.util.Collections.unmodifiableSet(own);
    }
    /** Minutes a console session lives without a request (default 30). */
    public static final String CONSOLE_SESSION_MINUTES = "console.session.minutes";
    /**
     * The reverse proxies whose {@code X-Forwarded-For}, {@code -Host} and {@code -Proto} headers the console
     * believes: comma-separated addresses or CIDR blocks, IPv4 or IPv6; none by default.
     */
    public static final String HTTP_TRUSTED_PROXIES = "mailer.http.trusted.proxies";
    /** Where the admin console is served: starts and ends with {@code /}, {@code /console/} by default. */
    public static final String CONSOLE_BASE_PATH = "mailer.console.base.path";
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
        ENVIRONMENT.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                p.setProperty(key, value.strip());
            }
        });
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
        return port(HTTP_PORT, "8080", "MAILER_HTTP_PORT, --http-port");
    }

    /** The management server's port (only /health, /ready, /metrics): -1 (none) by default, 0 for a free one. */
    public int managementPort() {
        return port(HTTP_MANAGEMENT_PORT, "-1", "MAILER_HTTP_MANAGEMENT_PORT, --management-port");
    }

    private int port(String key, String fallback, String otherNames) {
        String value = get(key, fallback).strip();
        try {
            int port = Integer.parseInt(value);
            if (port >= -1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the setting's names
        }
        throw new IllegalArgumentException(key + " (" + otherNames + ") must be a port number,"
                + " 0 for a free one or -1 for none, got '" + value + "'");
    }

    /**
     * The peers' shared token ({@value #HTTP_PEER_TOKEN}, {@value #HTTP_PEER_TOKEN_ENV}); empty when not set. One
     * shorter than {@value #PEER_TOKEN_MIN_LENGTH} characters is refused (the message never quotes it).
     */
    public java.util.Optional<String> peerToken() {
        String t = props.getProperty(HTTP_PEER_TOKEN);
        if (t == null || t.isBlank()) {
            return java.util.Optional.empty();
        }
        if (t.strip().length() < PEER_TOKEN_MIN_LENGTH) {
            throw new IllegalArgumentException(HTTP_PEER_TOKEN + " (" + HTTP_PEER_TOKEN_ENV + ") must be at least "
                    + PEER_TOKEN_MIN_LENGTH + " characters long");
        }
        return java.util.Optional.of(t.strip());
    }

    /** Loopback by default: metrics and health are for the machine's own scraper unless opened on purpose. */
    public String httpBind() {
        return get(HTTP_BIND, "127.0.0.1");
    }

    public Duration tick() {
        return Duration.ofMillis(Long.parseLong(get(TICK_MS, "20")));
    }

    /** Emails of a tenant in flight at most (handed to senders, not yet recorded): what a crash may send twice. */
    public int batchSize() {
        return positiveInt(BATCH_SIZE, "200");
    }

    /** The same bound in bytes, so big attachments can't exhaust the heap (one email always goes). */
    public long batchMaxBytes() {
        long v = Long.parseLong(get(BATCH_MAX_BYTES, Long.toString(16L * 1024 * 1024)).strip());
        if (v < 1) {
            throw new IllegalArgumentException(BATCH_MAX_BYTES + " must be at least 1, not " + v);
        }
        return v;
    }

    /** The bytes in flight over all tenants at most (each tenant at least one email at a time). */
    public long inFlightMaxBytes() {
        long v = Long.parseLong(get(INFLIGHT_MAX_BYTES, Long.toString(64L * 1024 * 1024)).strip());
        if (v < 1) {
            throw new IllegalArgumentException(INFLIGHT_MAX_BYTES + " must be at least 1, not " + v);
        }
        return v;
    }

    /** The longest one email's exchange with a server may take, whatever it trickles: then it is cut. */
    public Duration sendDeadline() {
        return Duration.ofSeconds(positiveInt(SEND_DEADLINE_SECONDS, "120"));
    }

    /**
     * Sender connections at once over all tenants ({@value #SEND_MAX_CONNECTIONS}, MAILER_SEND_MAX_CONNECTIONS;
     * default 256): each is a thread and a socket, so a thousand tenants of sixteen connections can't exhaust
     * the process. What the runs ask beyond it waits, fairly by tenant.
     */
    public int sendMaxConnections() {
        return positiveInt(SEND_MAX_CONNECTIONS, "256");
    }

    private int positiveInt(String key, String fallback) {
        int v = Integer.parseInt(get(key, fallback).strip());
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + v);
        }
        return v;
    }

    public Duration smtpTimeout() {
        return Duration.ofSeconds(Long.parseLong(get(SMTP_TIMEOUT_SECONDS, "30")));
    }

    /**
     * The folders whose files a config record's {@code ${file:}} references may read: comma-separated absolute
     * paths, {@code /run/secrets} (where Docker and Kubernetes mount secrets) by default.
     */
    public java.util.List<Path> secretsDirs() {
        java.util.List<Path> dirs = new java.util.ArrayList<>();
        for (String d : get(SECRETS_DIRS, "/run/secrets").split(",")) {
            if (!d.isBlank()) {
                Path p = Path.of(d.strip());
                if (!p.isAbsolute()) {
                    throw new IllegalArgumentException(SECRETS_DIRS + ": '" + d.strip() + "' is not an absolute path");
                }
                dirs.add(p);
            }
        }
        return dirs;
    }

    /** The prefix of the environment variables a config record's {@code ${env:}} references may read. */
    public String secretsEnvPrefix() {
        String prefix = get(SECRETS_ENV_PREFIX, "MAILER_");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException(SECRETS_ENV_PREFIX + " must not be empty: it would let a config record"
                    + " read every environment variable of the mailer");
        }
        return prefix;
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

    /** The proxies the console trusts ({@value #HTTP_TRUSTED_PROXIES}); an invalid entry is refused, named. */
    public TrustedProxies trustedProxies() {
        try {
            return TrustedProxies.parse(get(HTTP_TRUSTED_PROXIES, ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(HTTP_TRUSTED_PROXIES + ": " + e.getMessage(), e);
        }
    }

    /** Where the admin console is served ({@value #CONSOLE_BASE_PATH}), checked. */
    public String consoleBasePath() {
        try {
            return ConsoleSettings.checkBasePath(get(CONSOLE_BASE_PATH, ConsoleSettings.DEFAULT_BASE_PATH).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CONSOLE_BASE_PATH + " " + e.getMessage(), e);
        }
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
