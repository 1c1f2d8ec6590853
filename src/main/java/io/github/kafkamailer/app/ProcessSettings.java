package io.github.kafkamailer.app;

import io.github.kafkamailer.console.TrustedProxies;
import io.github.kafkamailer.model.TopicNames;
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
 * the environment variable {@code KAFKA_BOOTSTRAP_SERVERS} comes next, then the file. The mailer's own keys are
 * declared, with their types, defaults and rules, in {@link MailerSettings}, and read through it; the constants
 * below are the same keys, for the callers that name them.
 */
public final class ProcessSettings {
    public static final String DEFAULT_FILE = "config/mailer.properties";
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    public static final String TOPIC_OUTBOX = MailerSettings.TOPIC_OUTBOX;
    public static final String TOPIC_CONFIG = MailerSettings.TOPIC_CONFIG;
    public static final String TOPIC_RETRY = MailerSettings.TOPIC_RETRY;
    public static final String TOPIC_DLQ = MailerSettings.TOPIC_DLQ;
    public static final String TOPIC_STATUS = MailerSettings.TOPIC_STATUS;
    public static final String HTTP_PORT = MailerSettings.HTTP_PORT;
    public static final String HTTP_BIND = MailerSettings.HTTP_BIND;
    /** A second HTTP server serving only /health, /ready and /metrics, on its own threads (default -1: off). */
    public static final String HTTP_MANAGEMENT_PORT = MailerSettings.HTTP_MANAGEMENT_PORT;
    /**
     * The token instances send each other ({@code Authorization: Bearer}) on {@code /api/...}; secret. Unset, it
     * is derived from the admin password when there is one.
     */
    public static final String HTTP_PEER_TOKEN = MailerSettings.HTTP_PEER_TOKEN;
    public static final String HTTP_PEER_TOKEN_ENV = "MAILER_HTTP_PEER_TOKEN";
    /** A peer token shorter than this is refused: it guards the tenants' names and the servers' replies. */
    public static final int PEER_TOKEN_MIN_LENGTH = MailerSettings.PEER_TOKEN_MIN_LENGTH;
    public static final String TICK_MS = MailerSettings.TICK_MS;
    public static final String BATCH_SIZE = MailerSettings.BATCH_SIZE;
    public static final String BATCH_MAX_BYTES = MailerSettings.BATCH_MAX_BYTES;
    public static final String INFLIGHT_MAX_BYTES = MailerSettings.INFLIGHT_MAX_BYTES;
    public static final String SEND_DEADLINE_SECONDS = MailerSettings.SEND_DEADLINE_SECONDS;
    /** Sender connections (lanes, each a thread) at once over all tenants; runs beyond it wait their turn. */
    public static final String SEND_MAX_CONNECTIONS = MailerSettings.SEND_MAX_CONNECTIONS;
    public static final String SMTP_TIMEOUT_SECONDS = MailerSettings.SMTP_TIMEOUT_SECONDS;
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
    public static final String SECRETS_DIRS = MailerSettings.SECRETS_DIRS;
    public static final String SECRETS_ENV_PREFIX = MailerSettings.SECRETS_ENV_PREFIX;
    /** The admin console's password (CONTRACT.md, "Admin console"); the environment variable wins. */
    public static final String CONSOLE_PASSWORD = MailerSettings.CONSOLE_PASSWORD;
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
    public static final String CONSOLE_SESSION_MINUTES = MailerSettings.CONSOLE_SESSION_MINUTES;
    /**
     * The reverse proxies whose {@code X-Forwarded-For}, {@code -Host} and {@code -Proto} headers the console
     * believes: comma-separated addresses or CIDR blocks, IPv4 or IPv6; none by default.
     */
    public static final String HTTP_TRUSTED_PROXIES = MailerSettings.HTTP_TRUSTED_PROXIES;
    /** Where the admin console is served: starts and ends with {@code /}, {@code /console/} by default. */
    public static final String CONSOLE_BASE_PATH = MailerSettings.CONSOLE_BASE_PATH;
    /** Partitions and replication factor of the topics the mailer creates; -1 (the default) is the broker's. */
    public static final String TOPIC_PARTITIONS = MailerSettings.TOPIC_PARTITIONS;
    public static final String TOPIC_REPLICATION_FACTOR = MailerSettings.TOPIC_REPLICATION_FACTOR;

    private final Properties props;
    /** The mailer's own keys, parsed at the first need (and so once): {@link #checked()}. */
    private MailerSettings parsed;

    private ProcessSettings(Properties props) {
        this.props = props;
    }

    /**
     * Reads {@code file} (the default file may be absent; a named one must exist), then applies the environment's
     * bootstrap servers, then the flags. The mailer's own keys are checked at the first typed read, or at
     * {@link #checked()}.
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

    /**
     * The mailer's own settings, parsed once: {@code run} and every command call this at start.
     *
     * @throws IllegalArgumentException naming each unknown {@code mailer.*} or {@code console.*} key and each
     *                                  refused value, with the reason
     */
    public synchronized MailerSettings checked() {
        if (parsed == null) {
            parsed = MailerSettings.parse(props);
        }
        return parsed;
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
        return checked().topics();
    }

    /** The HTTP server's port: 8080 by default, 0 for a free one, -1 for none. */
    public int httpPort() {
        return checked().httpPort();
    }

    /** The management server's port (only /health, /ready, /metrics): -1 (none) by default, 0 for a free one. */
    public int managementPort() {
        return checked().managementPort();
    }

    /**
     * The peers' shared token ({@value #HTTP_PEER_TOKEN}, {@value #HTTP_PEER_TOKEN_ENV}); empty when not set. One
     * shorter than {@value #PEER_TOKEN_MIN_LENGTH} characters is refused (the message never quotes it).
     */
    public java.util.Optional<String> peerToken() {
        return checked().servedPeerToken();
    }

    /** Loopback by default: metrics and health are for the machine's own scraper unless opened on purpose. */
    public String httpBind() {
        return checked().httpBind();
    }

    public Duration tick() {
        return checked().tick();
    }

    /** Whether the outbox is read ahead of a lagging intake for HIGH emails ({@code mailer.high.lookahead}). */
    public boolean highLookahead() {
        return checked().highLookahead();
    }

    /** Emails of a tenant in flight at most (handed to senders, not yet recorded): what a crash may send twice. */
    public int batchSize() {
        return checked().batchSize();
    }

    /** The same bound in bytes, so big attachments can't exhaust the heap (one email always goes). */
    public long batchMaxBytes() {
        return checked().batchMaxBytes();
    }

    /** The bytes in flight over all tenants at most (each tenant at least one email at a time). */
    public long inFlightMaxBytes() {
        return checked().inFlightMaxBytes();
    }

    /** The longest one email's exchange with a server may take, whatever it trickles: then it is cut. */
    public Duration sendDeadline() {
        return checked().sendDeadline();
    }

    /**
     * Sender connections at once over all tenants ({@value #SEND_MAX_CONNECTIONS}, MAILER_SEND_MAX_CONNECTIONS;
     * default 256): each is a thread and a socket, so a thousand tenants of sixteen connections can't exhaust
     * the process. What the runs ask beyond it waits, fairly by tenant.
     */
    public int sendMaxConnections() {
        return checked().sendMaxConnections();
    }

    public Duration smtpTimeout() {
        return checked().smtpTimeout();
    }

    /**
     * The folders whose files a config record's {@code ${file:}} references may read: comma-separated absolute
     * paths, {@code /run/secrets} (where Docker and Kubernetes mount secrets) by default.
     */
    public java.util.List<Path> secretsDirs() {
        return checked().secretsDirs();
    }

    /** The prefix of the environment variables a config record's {@code ${env:}} references may read. */
    public String secretsEnvPrefix() {
        return checked().secretsEnvPrefix();
    }

    /**
     * The admin console's password: {@value #CONSOLE_PASSWORD_ENV} from {@code env}, else {@value #CONSOLE_PASSWORD};
     * empty when neither is set, and then the console is off (404).
     */
    public java.util.Optional<String> consolePassword(Map<String, String> env) {
        String fromEnv = env.get(CONSOLE_PASSWORD_ENV);
        return fromEnv != null && !fromEnv.isEmpty() ? java.util.Optional.of(fromEnv) : checked().consolePassword();
    }

    /** The proxies the console trusts ({@value #HTTP_TRUSTED_PROXIES}); an invalid entry is refused, named. */
    public TrustedProxies trustedProxies() {
        return checked().trustedProxies();
    }

    /** Where the admin console is served ({@value #CONSOLE_BASE_PATH}), checked. */
    public String consoleBasePath() {
        return checked().consoleBasePath();
    }

    public Duration consoleSessionIdle() {
        return checked().consoleSessionIdle();
    }

    /** The value as written (flag, environment, file), unparsed: for Kafka's keys; the mailer's have the above. */
    public String get(String key, String fallback) {
        return props.getProperty(key, fallback);
    }

    /** The properties meant for Kafka: everything but the mailer's own keys. */
    public Properties kafkaProperties() {
        Properties k = new Properties();
        for (String name : props.stringPropertyNames()) {
            if (MailerSettings.OWN_PREFIXES.stream().noneMatch(name::startsWith)) {
                k.setProperty(name, props.getProperty(name));
            }
        }
        return k;
    }
}
