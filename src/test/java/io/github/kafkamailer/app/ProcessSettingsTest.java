package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a setting comes from: a flag, then KAFKA_BOOTSTRAP_SERVERS, then the file, then the default. */
class ProcessSettingsTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("mailer.properties"), content);
    }

    private static Map<String, String> flag(String value) {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", value);
        return m;
    }

    @Test
    void shouldLetTheFlagWinOverTheEnvironmentAndTheFile() throws IOException {
        ProcessSettings s = ProcessSettings.load(file("bootstrap.servers=file:9092"), true, flag("flag:9092"),
                Map.of(ProcessSettings.BOOTSTRAP_ENV, "env:9092"));
        assertThat(s.bootstrapServers()).isEqualTo("flag:9092");
    }

    @Test
    void shouldLetTheEnvironmentWinOverTheFile() throws IOException {
        ProcessSettings s = ProcessSettings.load(file("bootstrap.servers=file:9092"), true, flag(null),
                Map.of(ProcessSettings.BOOTSTRAP_ENV, "env:9092"));
        assertThat(s.bootstrapServers()).isEqualTo("env:9092");
    }

    @Test
    void shouldTakeTheFileThenTheDefault() throws IOException {
        assertThat(ProcessSettings.load(file("bootstrap.servers=file:9092"), true, flag(null), Map.of())
                .bootstrapServers()).isEqualTo("file:9092");
        assertThat(ProcessSettings.load(dir.resolve("absent"), false, flag(null), Map.of())
                .withDefault("bootstrap.servers", "127.0.0.1:9092").bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void shouldTakeTopicPartitionsAndReplicationFromTheSettingsWithTheBrokersDefault() {
        List<TopicSpec> defaults = TopicsFile.load(TopicNames.defaults());
        assertThat(defaults).allSatisfy(t -> {
            assertThat(t.partitions()).isEqualTo(-1);
            assertThat(t.replicationFactor()).isEqualTo((short) -1);
        });
        java.util.Properties p = new java.util.Properties();
        p.setProperty(ProcessSettings.TOPIC_PARTITIONS, "6");
        p.setProperty(ProcessSettings.TOPIC_REPLICATION_FACTOR, "3");
        p.setProperty("mailer.topic.config.partitions", "1");
        List<TopicSpec> set = TopicsFile.load(ProcessSettings.of(p));
        assertThat(set).filteredOn(t -> t.role().equals("outbox")).singleElement()
                .satisfies(t -> assertThat(t.partitions()).isEqualTo(6));
        assertThat(set).filteredOn(t -> t.role().equals("config")).singleElement()
                .satisfies(t -> assertThat(t.partitions()).isEqualTo(1));
        assertThat(set).allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 3));

        p.setProperty(ProcessSettings.TOPIC_PARTITIONS, "0");
        assertThatThrownBy(() -> TopicsFile.load(ProcessSettings.of(p))).hasMessageContaining("-1 (the broker's default)");
    }

    @Test
    void shouldBoundSenderConnectionsAt256UnlessTheFileTheEnvironmentOrAFlagSaysOtherwise() throws IOException {
        assertThat(ProcessSettings.load(dir.resolve("absent"), false, Map.of(), Map.of()).sendMaxConnections())
                .isEqualTo(256);
        Path f = file(ProcessSettings.SEND_MAX_CONNECTIONS + "=64");
        assertThat(ProcessSettings.load(f, true, Map.of(), Map.of()).sendMaxConnections()).isEqualTo(64);
        assertThat(ProcessSettings.load(f, true, Map.of(), Map.of("MAILER_SEND_MAX_CONNECTIONS", "32"))
                .sendMaxConnections()).isEqualTo(32);
        assertThat(ProcessSettings.load(f, true, Map.of(ProcessSettings.SEND_MAX_CONNECTIONS, "8"),
                Map.of("MAILER_SEND_MAX_CONNECTIONS", "32")).sendMaxConnections()).isEqualTo(8);
        assertThatThrownBy(() -> ProcessSettings.load(f, true, Map.of(ProcessSettings.SEND_MAX_CONNECTIONS, "0"),
                Map.of()).sendMaxConnections()).hasMessageContaining(ProcessSettings.SEND_MAX_CONNECTIONS)
                .hasMessageContaining("at least 1");
    }
}
