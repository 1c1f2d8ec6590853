package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.app.ProcessSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to Kafka shares, spelled as Kafka's own tools and kcat spell them.
 * Precedence, for {@code bootstrap.servers} and any other property: a flag, then the environment variable
 * {@code KAFKA_BOOTSTRAP_SERVERS} (bootstrap servers only), then the properties file, then the default.
 */
final class ClientOptions {
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(names = {"-b", "--bootstrap-server", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Precedence: this flag, then $KAFKA_BOOTSTRAP_SERVERS, then"
                    + " bootstrap.servers of the properties file, then " + DEFAULT_BOOTSTRAP + ".")
    String bootstrapServers;

    @Option(names = {"--command-config", "--config"}, paramLabel = "FILE",
            description = "Properties file: Kafka client properties (security.protocol, sasl.*, ssl.*, ...) and the"
                    + " mailer's (topic names, ...). Default: " + ProcessSettings.DEFAULT_FILE + " when it exists.")
    Path configFile;

    @Option(names = "-X", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "One property, as in the properties file (repeatable); wins over the file.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}; 30s, 2m, 500ms).")
    Duration timeout;

    /** When the command line was read: the timeout counts from here, class loading and all. */
    private final long startedAtNanos = System.nanoTime();

    @Option(names = {"-v", "--verbose"}, description = "Show the Kafka client's own warnings (hidden by default).")
    boolean verbose;

    ProcessSettings settings() {
        return settings(Map.of());
    }

    ProcessSettings settings(Map<String, String> moreFlags) {
        CliLogging.kafkaClients(verbose);
        Map<String, String> flags = new HashMap<>(properties);
        flags.putAll(moreFlags);
        if (bootstrapServers != null) {
            flags.put("bootstrap.servers", bootstrapServers);
        }
        Path file = configFile != null ? configFile : Path.of(ProcessSettings.DEFAULT_FILE);
        try {
            ProcessSettings settings = ProcessSettings.load(file, configFile != null, flags, System.getenv())
                    .withDefault("bootstrap.servers", DEFAULT_BOOTSTRAP);
            // The mailer's own keys parsed once, here: an unknown one or a bad value is exit 2, named.
            settings.checked();
            return settings;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** The Kafka client properties: everything but the mailer's own keys, with the bootstrap servers. */
    Properties kafkaProperties(ProcessSettings settings) {
        Properties p = settings.kafkaProperties();
        p.setProperty("bootstrap.servers", settings.bootstrapServers());
        return p;
    }

    KafkaAccess kafka(ProcessSettings settings) {
        return new KafkaAccess(kafkaProperties(settings), timeout, startedAtNanos);
    }
}
