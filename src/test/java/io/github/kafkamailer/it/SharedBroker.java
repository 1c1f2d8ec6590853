package io.github.kafkamailer.it;

import io.github.kafkamailer.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real KRaft broker for all integration tests of this JVM: starting one costs seconds, and tests keep out
 * of each other's way with topic names and application ids of their own.
 */
public final class SharedBroker {
    private static EmbeddedKafkaBroker broker;

    private SharedBroker() {
    }

    public static synchronized EmbeddedKafkaBroker get() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("it-kafka");
                broker = EmbeddedKafkaBroker.start(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "it-broker-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return broker;
    }

    public static String bootstrapServers() {
        return get().bootstrapServers();
    }
}
