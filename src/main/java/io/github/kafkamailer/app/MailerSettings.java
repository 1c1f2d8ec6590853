package io.github.kafkamailer.app;

import io.github.kafkamailer.console.ConsoleSettings;
import io.github.kafkamailer.console.TrustedProxies;
import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.unsubscribe.UnsubscribeTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The mailer's own process settings, every one declared once in {@link #DEFINITION} (key, type, default, rule,
 * importance, what it does) and parsed once, into the typed values below. Everything else in the process config
 * is Kafka's ({@link ProcessSettings#kafkaProperties()}).
 *
 * <p>A key under {@code mailer.} or {@code console.} that is not declared here is refused (a typo would otherwise
 * be ignored without a word), and so is a value its rule refuses: each problem names the key, its other names
 * (environment variable, flag) and the reason; a secret's value is never quoted. README's table of the settings
 * is drawn from the same declarations ({@link SettingsTable}).
 */
public final class MailerSettings extends AbstractConfig {
    /** The prefixes of the mailer's own keys: none of Kafka's keys starts with them. */
    public static final List<String> OWN_PREFIXES = List.of("mailer.", "console.");

    public static final String TOPIC_OUTBOX = "mailer.topic.outbox";
    public static final String TOPIC_CONFIG = "mailer.topic.config";
    public static final String TOPIC_RETRY = "mailer.topic.retry";
    public static final String TOPIC_DLQ = "mailer.topic.dlq";
    public static final String TOPIC_STATUS = "mailer.topic.status";
    public static final String TOPIC_TEMPLATES = "mailer.topic.templates";
    public static final String TOPIC_SUPPRESSIONS = "mailer.topic.suppressions";
    public static final String TOPIC_PARTITIONS = "mailer.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "mailer.topic.replication.factor";
    /** The roles of {@code topics/topics.json}; each may have its own partitions and replication factor. */
    public static final List<String> TOPIC_ROLES = List.of("outbox", "config", "retry", "dlq", "status", "templates",
            "suppressions");
    public static final String HTTP_PORT = "mailer.http.port";
    public static final String HTTP_BIND = "mailer.http.bind";
    public static final String HTTP_MANAGEMENT_PORT = "mailer.http.management.port";
    public static final String HTTP_PEER_TOKEN = "mailer.http.peer.token";
    public static final String HTTP_TRUSTED_PROXIES = "mailer.http.trusted.proxies";
    public static final String CONSOLE_BASE_PATH = "mailer.console.base.path";
    public static final String CONSOLE_PASSWORD = "console.password";
    public static final String CONSOLE_SESSION_MINUTES = "console.session.minutes";
    public static final String TICK_MS = "mailer.tick.ms";
    public static final String BATCH_SIZE = "mailer.batch.size";
    public static final String HIGH_LOOKAHEAD = "mailer.high.lookahead";
    public static final String BATCH_MAX_BYTES = "mailer.batch.max.bytes";
    public static final String INFLIGHT_MAX_BYTES = "mailer.inflight.max.bytes";
    public static final String SEND_DEADLINE_SECONDS = "mailer.send.deadline.seconds";
    public static final String SEND_MAX_CONNECTIONS = "mailer.send.max.connections";
    public static final String SMTP_TIMEOUT_SECONDS = "mailer.smtp.timeout.seconds";
    public static final String SECRETS_DIRS = "mailer.secrets.dirs";
    public static final String SECRETS_ENV_PREFIX = "mailer.secrets.env.prefix";
    public static final String LOG_FORMAT = "mailer.log.format";
    public static final String UNSUBSCRIBE_BASE_URL = "mailer.unsubscribe.base.url";
    public static final String UNSUBSCRIBE_KEY = "mailer.unsubscribe.key";

    /** A peer token shorter than this is refused: it guards the tenants' names and the servers' replies. */
    public static final int PEER_TOKEN_MIN_LENGTH = 16;

    private static final Rule AT_LEAST_ONE = Rule.of("at least 1", v -> ((Number) v).longValue() >= 1);
    private static final Rule PORT = Rule.of("a port number, 0 for a free one or -1 for none",
            v -> (int) v >= -1 && (int) v <= 65535);
    private static final Rule TOPIC_SIZE = Rule.of("a positive number or -1 (the broker's default)",
            v -> (int) v == -1 || ((int) v >= 1 && (int) v <= Short.MAX_VALUE));
    private static final Rule TOPIC_NAME = Rule.of("a topic name (letters, digits, '.', '_', '-'; 1 to 249)",
            v -> ((String) v).matches("[A-Za-z0-9._-]{1,249}"));

    /** Every key of the mailer's own, in the order README's table shows them. */
    public static final ConfigDef DEFINITION = definition();

    private static ConfigDef definition() {
        TopicNames topics = TopicNames.defaults();
        ConfigDef d = new ConfigDef()
                .define(TOPIC_OUTBOX, Type.STRING, topics.outbox(), TOPIC_NAME, Importance.HIGH,
                        "The topic the emails to send arrive on.")
                .define(TOPIC_CONFIG, Type.STRING, topics.config(), TOPIC_NAME, Importance.HIGH,
                        "The compacted topic of the tenants' config records.")
                .define(TOPIC_RETRY, Type.STRING, topics.retry(), TOPIC_NAME, Importance.HIGH,
                        "The topic of the emails waiting for another attempt.")
                .define(TOPIC_DLQ, Type.STRING, topics.dlq(), TOPIC_NAME, Importance.HIGH,
                        "The topic of the dead letters: the emails the mailer gave up on.")
                .define(TOPIC_STATUS, Type.STRING, topics.status(), TOPIC_NAME, Importance.HIGH,
                        "The topic of the emails' status events.")
                .define(TOPIC_TEMPLATES, Type.STRING, topics.templates(), TOPIC_NAME, Importance.HIGH,
                        "The compacted topic of the tenants' templates.")
                .define(TOPIC_SUPPRESSIONS, Type.STRING, topics.suppressions(), TOPIC_NAME, Importance.HIGH,
                        "The compacted topic of the suppressed recipients (unsubscribed, bounced, complained,"
                                + " manual).")
                .define(TOPIC_PARTITIONS, Type.INT, -1, TOPIC_SIZE, Importance.MEDIUM,
                        "Partitions of each topic the mailer (or `topics create`) creates; -1: the broker's"
                                + " `num.partitions`.")
                .define(TOPIC_REPLICATION_FACTOR, Type.INT, -1, TOPIC_SIZE, Importance.MEDIUM,
                        "Replication factor of each topic the mailer (or `topics create`) creates; -1: the"
                                + " broker's `default.replication.factor`.");
        for (String role : TOPIC_ROLES) {
            d.define(topicPartitionsKey(role), Type.INT, null, TOPIC_SIZE, Importance.LOW,
                    "Partitions of the " + role + " topic when the mailer creates it; unset: `"
                            + TOPIC_PARTITIONS + "`.");
            d.define(topicReplicationFactorKey(role), Type.INT, null, TOPIC_SIZE, Importance.LOW,
                    "Replication factor of the " + role + " topic when the mailer creates it; unset: `"
                            + TOPIC_REPLICATION_FACTOR + "`.");
        }
        return d
                .define(HTTP_PORT, Type.INT, 8080, PORT, Importance.HIGH,
                        "Port of the HTTP server: /metrics, /health, /ready, /api/..., the admin console.")
                .define(HTTP_BIND, Type.STRING, "127.0.0.1", Rule.of("not empty", v -> !((String) v).isEmpty()),
                        Importance.HIGH, "The address the HTTP servers listen on: loopback unless opened on"
                                + " purpose (the Docker image sets 0.0.0.0).")
                .define(HTTP_MANAGEMENT_PORT, Type.INT, -1, PORT, Importance.MEDIUM,
                        "Port of a second HTTP server serving only /health, /ready and /metrics, on threads of"
                                + " its own.")
                .define(HTTP_PEER_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                        "The token instances send each other on /api/..., the same on every instance; `run`"
                                + " refuses one shorter than " + PEER_TOKEN_MIN_LENGTH + " characters. Unset:"
                                + " derived from the admin password.")
                .define(HTTP_TRUSTED_PROXIES, Type.STRING, "",
                        Rule.checkedBy("comma-separated IP addresses or CIDR blocks", TrustedProxies::parse),
                        Importance.MEDIUM, "The reverse proxies whose X-Forwarded-* headers the admin console"
                                + " believes; none by default.")
                .define(CONSOLE_BASE_PATH, Type.STRING, ConsoleSettings.DEFAULT_BASE_PATH,
                        Rule.checkedBy("starts and ends with /, names between the slashes",
                                ConsoleSettings::checkBasePath),
                        Importance.MEDIUM, "Where the admin console is served.")
                .define(CONSOLE_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                        "The admin console's password; with none (here or in the environment) the"
                                + " console is off.")
                .define(CONSOLE_SESSION_MINUTES, Type.LONG, 30L, AT_LEAST_ONE, Importance.LOW,
                        "Minutes an admin console session lives without a request.")
                .define(TICK_MS, Type.LONG, 20L, AT_LEAST_ONE, Importance.LOW,
                        "Milliseconds between the sending engine's ticks: it records what its senders finished"
                                + " and hands out the next emails.")
                .define(HIGH_LOOKAHEAD, Type.BOOLEAN, true, Importance.LOW,
                        "While the intake is behind or late (a burst in the outbox), read the outbox ahead of it for"
                                + " HIGH emails, so that one published behind the burst needn't wait for it.")
                .define(BATCH_SIZE, Type.INT, 200, AT_LEAST_ONE, Importance.MEDIUM,
                        "Emails of one tenant in flight at most: what a crash may send twice.")
                .define(BATCH_MAX_BYTES, Type.LONG, 16L * 1024 * 1024, AT_LEAST_ONE, Importance.LOW,
                        "Bytes of one tenant's emails in flight at most (one email always goes).")
                .define(INFLIGHT_MAX_BYTES, Type.LONG, 64L * 1024 * 1024, AT_LEAST_ONE, Importance.LOW,
                        "Bytes in flight over all tenants at most (a tenant with nothing in flight may always send one"
                                + " email).")
                .define(SEND_DEADLINE_SECONDS, Type.INT, 120, AT_LEAST_ONE, Importance.MEDIUM,
                        "The longest one email's exchange with a server may take; then the connection is cut.")
                .define(SEND_MAX_CONNECTIONS, Type.INT, 256, AT_LEAST_ONE, Importance.MEDIUM,
                        "The most SMTP/Graph connections the process keeps open at once over all tenants.")
                .define(SMTP_TIMEOUT_SECONDS, Type.LONG, 30L, AT_LEAST_ONE, Importance.LOW,
                        "Connect and read timeout towards SMTP servers, in seconds.")
                .define(SECRETS_DIRS, Type.STRING, "/run/secrets",
                        Rule.checkedBy("comma-separated absolute paths", MailerSettings::absolutePaths),
                        Importance.MEDIUM, "The folders whose files a config record's ${file:} references may"
                                + " read.")
                .define(SECRETS_ENV_PREFIX, Type.STRING, "MAILER_", Rule.checkedBy("not empty", v -> {
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException("must not be empty: it would let a config record read"
                                + " every environment variable of the mailer");
                    }
                }), Importance.MEDIUM, "The prefix of the environment variables a config record's ${env:}"
                        + " references may read.")
                .define(LOG_FORMAT, Type.STRING, "text", Rule.of("text or json",
                                v -> List.of("text", "json").contains(((String) v).toLowerCase(Locale.ROOT))),
                        Importance.LOW, "Log lines as text, or as JSON (one object per line).")
                .define(UNSUBSCRIBE_BASE_URL, Type.STRING, null,
                        Rule.checkedBy("an https URL with a host", MailerSettings::httpsUrl), Importance.MEDIUM,
                        "The public https address of this HTTP server (behind the deployment's proxy): emails with"
                                + " `\"unsubscribe\": true` link to BASE/unsubscribe/TOKEN. Goes with `"
                                + UNSUBSCRIBE_KEY + "`.")
                .define(UNSUBSCRIBE_KEY, Type.PASSWORD, null,
                        Rule.of("a reference, ${env:NAME} or ${file:/path}", v -> SecretReferences.parts(
                                ((Password) v).value().strip()) != null), Importance.MEDIUM,
                        "The key that signs the unsubscribe links (HMAC-SHA256; at least "
                                + UnsubscribeTokens.MIN_KEY_BYTES + " bytes), given as a reference resolved like a"
                                + " config record's (`" + SECRETS_DIRS + "`, `" + SECRETS_ENV_PREFIX + "`); config"
                                + " records may not reference it. Goes with `" + UNSUBSCRIBE_BASE_URL + "`.");
    }

    private static void httpsUrl(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new IllegalArgumentException("'" + url + "' must be an https URL with a host and no query or"
                    + " fragment, such as https://mail.example.com");
        }
    }

    /** The other ways to set a key, named with it in errors and in README's table. */
    static final Map<String, List<String>> OTHER_NAMES = otherNames();

    private static Map<String, List<String>> otherNames() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        ProcessSettings.ENVIRONMENT.forEach((variable, key) ->
                names.computeIfAbsent(key, k -> new ArrayList<>()).add(variable));
        names.computeIfAbsent(CONSOLE_PASSWORD, k -> new ArrayList<>()).add(ProcessSettings.CONSOLE_PASSWORD_ENV);
        names.computeIfAbsent(HTTP_PORT, k -> new ArrayList<>()).add("--http-port");
        names.computeIfAbsent(HTTP_MANAGEMENT_PORT, k -> new ArrayList<>()).add("--management-port");
        names.computeIfAbsent(TOPIC_PARTITIONS, k -> new ArrayList<>()).add("topics create --partitions");
        names.computeIfAbsent(TOPIC_REPLICATION_FACTOR, k -> new ArrayList<>()).add("topics create --replication-factor");
        names.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(names);
    }

    private final TopicNames topics;
    private final List<Path> secretsDirs;
    private final TrustedProxies trustedProxies;

    private MailerSettings(Map<String, Object> own) {
        super(DEFINITION, own, false);
        topics = new TopicNames(getString(TOPIC_OUTBOX), getString(TOPIC_CONFIG), getString(TOPIC_RETRY),
                getString(TOPIC_DLQ), getString(TOPIC_STATUS), getString(TOPIC_TEMPLATES),
                getString(TOPIC_SUPPRESSIONS));
        secretsDirs = absolutePathsOf(getString(SECRETS_DIRS));
        trustedProxies = TrustedProxies.parse(getString(HTTP_TRUSTED_PROXIES));
    }

    /**
     * The mailer's own keys of {@code props}, parsed and checked; other keys (Kafka's) are left alone.
     *
     * @throws IllegalArgumentException naming each unknown key and each refused value, with the reason
     */
    public static MailerSettings parse(Properties props) {
        Map<String, Object> own = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(props.stringPropertyNames())) {
            if (OWN_PREFIXES.stream().noneMatch(name::startsWith)) {
                continue;
            }
            ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
            if (key == null) {
                problems.add(unknown(name));
                continue;
            }
            String raw = props.getProperty(name);
            // A secret is taken as written (Kafka would strip it): a password's spaces are its own.
            own.put(name, key.type == Type.PASSWORD ? new Password(raw) : raw);
            check(key, raw).ifPresent(problems::add);
        }
        if (own.containsKey(UNSUBSCRIBE_BASE_URL) != own.containsKey(UNSUBSCRIBE_KEY)) {
            problems.add(UNSUBSCRIBE_BASE_URL + " and " + UNSUBSCRIBE_KEY + " go together: set both, or neither");
        }
        if (!problems.isEmpty()) {
            boolean unknown = problems.stream().anyMatch(p -> p.startsWith("unknown setting "));
            throw new IllegalArgumentException(String.join("; ", problems)
                    + (unknown ? " (README, \"Process settings\", lists every mailer.* and console.* key)" : ""));
        }
        return new MailerSettings(own);
    }

    private static Optional<String> check(ConfigDef.ConfigKey key, String raw) {
        String rule = key.validator == null ? null : key.validator.toString();
        Object value;
        try {
            value = ConfigDef.parseType(key.name, key.type == Type.PASSWORD ? new Password(raw) : raw, key.type);
        } catch (ConfigException e) {
            return Optional.of(refused(key, raw, "must be " + (rule != null ? rule : wordsFor(key.type)), true));
        }
        if (key.validator != null) {
            try {
                key.validator.ensureValid(key.name, value);
            } catch (ConfigException e) {
                // The rule's own words, or a check's more precise reason (which quotes what it refuses).
                boolean byTheRule = e.getMessage().equals(rule);
                return Optional.of(refused(key, raw, byTheRule ? "must be " + rule : e.getMessage(), byTheRule));
            }
        }
        return Optional.empty();
    }

    /** {@code key (its other names) must be ..., got 'value'}; a secret's value is never quoted. */
    private static String refused(ConfigDef.ConfigKey key, String raw, String reason, boolean quoteValue) {
        StringBuilder b = new StringBuilder(key.name);
        List<String> others = OTHER_NAMES.getOrDefault(key.name, List.of());
        if (!others.isEmpty()) {
            b.append(" (").append(String.join(", ", others)).append(')');
        }
        b.append(reason.startsWith("must ") ? " " : ": ").append(reason);
        if (quoteValue && key.type != Type.PASSWORD) {
            b.append(", got '").append(raw.strip()).append('\'');
        }
        return b.toString();
    }

    private static String wordsFor(Type type) {
        return switch (type) {
            case INT, LONG, SHORT -> "a whole number";
            case BOOLEAN -> "true or false";
            default -> "of type " + type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String unknown(String name) {
        String close = null;
        int best = 4;
        for (String known : DEFINITION.names()) {
            int d = editDistance(name, known);
            if (d < best) {
                best = d;
                close = known;
            }
        }
        return "unknown setting " + name + (close == null ? "" : " (did you mean " + close + "?)");
    }

    /** Levenshtein's distance: single-character insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    public static String topicPartitionsKey(String role) {
        return "mailer.topic." + role + ".partitions";
    }

    public static String topicReplicationFactorKey(String role) {
        return "mailer.topic." + role + ".replication.factor";
    }

    private static void absolutePaths(String list) {
        absolutePathsOf(list);
    }

    private static List<Path> absolutePathsOf(String list) {
        List<Path> dirs = new ArrayList<>();
        for (String d : list.split(",")) {
            if (!d.isBlank()) {
                Path p = Path.of(d.strip());
                if (!p.isAbsolute()) {
                    throw new IllegalArgumentException("'" + d.strip() + "' is not an absolute path");
                }
                dirs.add(p);
            }
        }
        return List.copyOf(dirs);
    }

    public TopicNames topics() {
        return topics;
    }

    /** Partitions of the topic of {@code role} when created: its own setting, else the general one; -1: broker's. */
    public int topicPartitions(String role) {
        Integer own = getInt(topicPartitionsKey(role));
        return own != null ? own : getInt(TOPIC_PARTITIONS);
    }

    /** Replication factor of a topic of the mailer's own, with no role setting, when created; -1: broker's. */
    public short topicReplicationFactor() {
        return (short) getInt(TOPIC_REPLICATION_FACTOR).intValue();
    }

    /** Replication factor of the topic of {@code role} when created, likewise. */
    public short topicReplicationFactor(String role) {
        Integer own = getInt(topicReplicationFactorKey(role));
        return (short) (own != null ? own : getInt(TOPIC_REPLICATION_FACTOR)).intValue();
    }

    /** The HTTP server's port: 8080 by default, 0 for a free one, -1 for none. */
    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    /** The management server's port (only /health, /ready, /metrics): -1 (none) by default, 0 for a free one. */
    public int managementPort() {
        return getInt(HTTP_MANAGEMENT_PORT);
    }

    /** Loopback by default: metrics and health are for the machine's own scraper unless opened on purpose. */
    public String httpBind() {
        return getString(HTTP_BIND);
    }

    /** The peers' shared token as set, stripped (what a client sends); empty when not set (or blank). */
    public Optional<String> peerToken() {
        Password t = getPassword(HTTP_PEER_TOKEN);
        return t == null || t.value().isBlank() ? Optional.empty() : Optional.of(t.value().strip());
    }

    /**
     * The token this instance guards {@code /api/...} with: as {@link #peerToken()}, but one shorter than
     * {@value #PEER_TOKEN_MIN_LENGTH} characters is refused, for it would guard the tenants' names and the
     * servers' replies poorly (the message never quotes it). A rule of serving, not of the value: a client may
     * still send whatever the file holds.
     */
    public Optional<String> servedPeerToken() {
        Optional<String> t = peerToken();
        if (t.isPresent() && t.get().length() < PEER_TOKEN_MIN_LENGTH) {
            throw new IllegalArgumentException(HTTP_PEER_TOKEN + " (" + String.join(", ",
                    OTHER_NAMES.get(HTTP_PEER_TOKEN)) + ") must be at least " + PEER_TOKEN_MIN_LENGTH
                    + " characters long");
        }
        return t;
    }

    /** The proxies the console trusts; none by default. */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Where the admin console is served, checked. */
    public String consoleBasePath() {
        return getString(CONSOLE_BASE_PATH);
    }

    /** The console's password as the process config gives it (the environment's wins: ProcessSettings). */
    public Optional<String> consolePassword() {
        Password p = getPassword(CONSOLE_PASSWORD);
        return p == null || p.value().isEmpty() ? Optional.empty() : Optional.of(p.value());
    }

    public Duration consoleSessionIdle() {
        return Duration.ofMinutes(getLong(CONSOLE_SESSION_MINUTES));
    }

    public boolean highLookahead() {
        return getBoolean(HIGH_LOOKAHEAD);
    }

    public Duration tick() {
        return Duration.ofMillis(getLong(TICK_MS));
    }

    /** Emails of a tenant in flight at most (handed to senders, not yet recorded): what a crash may send twice. */
    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    /** The same bound in bytes, so big attachments can't exhaust the heap (one email always goes). */
    public long batchMaxBytes() {
        return getLong(BATCH_MAX_BYTES);
    }

    /** The bytes in flight over all tenants at most (each tenant at least one email at a time). */
    public long inFlightMaxBytes() {
        return getLong(INFLIGHT_MAX_BYTES);
    }

    /** The longest one email's exchange with a server may take, whatever it trickles: then it is cut. */
    public Duration sendDeadline() {
        return Duration.ofSeconds(getInt(SEND_DEADLINE_SECONDS));
    }

    /** The most SMTP/Graph connections the process keeps open at once over all tenants. */
    public int sendMaxConnections() {
        return getInt(SEND_MAX_CONNECTIONS);
    }

    public Duration smtpTimeout() {
        return Duration.ofSeconds(getLong(SMTP_TIMEOUT_SECONDS));
    }

    /** The folders whose files a config record's {@code ${file:}} references may read. */
    public List<Path> secretsDirs() {
        return secretsDirs;
    }

    /** The prefix of the environment variables a config record's {@code ${env:}} references may read. */
    public String secretsEnvPrefix() {
        return getString(SECRETS_ENV_PREFIX);
    }

    /** The public https address the mailer's own unsubscribe links start with; empty when it has none. */
    public Optional<String> unsubscribeBaseUrl() {
        return Optional.ofNullable(getString(UNSUBSCRIBE_BASE_URL)).map(String::strip);
    }

    /** The reference ({@code ${env:NAME}} or {@code ${file:/path}}) to the unsubscribe links' key; empty for none. */
    public Optional<String> unsubscribeKeyReference() {
        Password p = getPassword(UNSUBSCRIBE_KEY);
        return p == null ? Optional.empty() : Optional.of(p.value().strip());
    }

    /** {@code text} or {@code json}, lower case. */
    public String logFormat() {
        return getString(LOG_FORMAT).toLowerCase(Locale.ROOT);
    }

    /**
     * A validator that says its rule in words: README's table shows the words, and a refused value is reported as
     * "must be" and the words, or as the more precise reason a check gives.
     */
    static final class Rule implements ConfigDef.Validator {
        private final String words;
        private final Consumer<Object> check;

        private Rule(String words, Consumer<Object> check) {
            this.words = words;
            this.check = check;
        }

        static Rule of(String words, Predicate<Object> ok) {
            return new Rule(words, v -> {
                if (!ok.test(v)) {
                    throw new IllegalArgumentException(words);
                }
            });
        }

        /** {@code check} refuses a value with an {@link IllegalArgumentException} saying what is wrong. */
        static Rule checkedBy(String words, Consumer<String> check) {
            return new Rule(words, v -> check.accept((String) v));
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                check.accept(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }

        @Override
        public String toString() {
            return words;
        }
    }
}
