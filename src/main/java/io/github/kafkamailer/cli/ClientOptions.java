package io.github.kafkamailer.cli;

import io.github.kafkamailer.app.ProcessSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that talks to Kafka shares. */
final class ClientOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, the config file's, or 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Process config file with topic names and Kafka client properties (default: "
                    + ProcessSettings.DEFAULT_FILE + " when it exists).")
    Path configFile;

    ProcessSettings settings() {
        return settings(Map.of());
    }

    ProcessSettings settings(Map<String, String> moreFlags) {
        Map<String, String> flags = new HashMap<>(moreFlags);
        flags.put("bootstrap.servers", bootstrapServers);
        Path file = configFile != null ? configFile : Path.of(ProcessSettings.DEFAULT_FILE);
        ProcessSettings s;
        try {
            s = ProcessSettings.load(file, configFile != null, flags, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        return s.withDefault("bootstrap.servers", "127.0.0.1:9092");
    }
}
