package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.StoreNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The config table alone: nothing a record holds stops the global thread (issue 9, item 5), and credentials
 * sent without TLS are warned about once per config version (item 8), never with the secret.
 */
class ConfigTableProcessorTest {
    @TempDir
    Path stateDir;

    private final MailerMetrics metrics = MailerMetrics.inMemory();
    private Function<String, String> envLookup = name -> "pw-from-env";
    private BiConsumer<String, MailerConfig> onApplied = (tenant, c) -> {
    };
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> config;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(ConfigTableProcessor.class);

    @BeforeEach
    void start() {
        SecretReferences.Resolver secrets = new SecretReferences.Resolver() {
            @Override
            public String env(String name) {
                return envLookup.apply(name);
            }

            @Override
            public String file(String path) {
                throw new IllegalArgumentException("no files here");
            }
        };
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.CONFIG_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(), "mail.config",
                Consumed.with(Serdes.String(), Serdes.ByteArray()),
                () -> new ConfigTableProcessor(metrics, new ConfigListener() {
                    @Override
                    public void applied(String tenant, MailerConfig c) {
                        onApplied.accept(tenant, c);
                    }

                    @Override
                    public void removed(String tenant) {
                    }
                }, secrets));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "config-table-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), p);
        config = driver.createInputTopic("mail.config", new StringSerializer(), new StringSerializer());
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void stop() {
        log.detachAppender(logged);
        driver.close();
    }

    private static String record(String extra) {
        return "{\"enabled\":true,\"smtpHost\":\"smtp.example.com\",\"postmaster\":\"noreply@example.com\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private MailerConfig inForce(String tenant) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.CONFIG_STORE);
        byte[] bytes = store.get(tenant);
        return bytes == null ? null : ConfigJson.parse(bytes);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void shouldRejectARecordWhoseResolutionThrowsAnErrorAndKeepTheLastValidConfig() {
        config.pipeInput("default", record("\"smtpPort\":2525"));
        envLookup = name -> {
            throw new OutOfMemoryError("Java heap space");
        };
        config.pipeInput("default", record("\"smtpPort\":2626,\"smtpUser\":\"u\",\"smtpPassword\":\"${env:MAILER_X}\""));
        envLookup = name -> {
            throw new StackOverflowError();
        };
        config.pipeInput("default", record("\"smtpPort\":2727,\"smtpUser\":\"u\",\"smtpPassword\":\"${env:MAILER_X}\""));

        assertThat(inForce("default").smtpPort()).isEqualTo(2525);
        assertThat(metrics.count(MailerMetrics.CONFIG_REJECTED, "tenant", "default")).isEqualTo(2);
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("'default' rejected")
                .contains("OutOfMemoryError"));

        envLookup = name -> "pw";
        config.pipeInput("default", record("\"smtpPort\":2828,\"smtpUser\":\"u\",\"smtpPassword\":\"${env:MAILER_X}\","
                + "\"startTls\":true"));
        assertThat(inForce("default").smtpPort()).as("the global thread still runs").isEqualTo(2828);
    }

    @Test
    void shouldKeepTheTableWhenAListenerThrows() {
        onApplied = (tenant, c) -> {
            throw new IllegalStateException("retention applier broke");
        };
        config.pipeInput("default", record("\"smtpPort\":2525"));
        config.pipeInput("other", record("\"smtpPort\":2626"));
        assertThat(inForce("default").smtpPort()).isEqualTo(2525);
        assertThat(inForce("other").smtpPort()).isEqualTo(2626);
    }

    @Test
    void shouldWarnOncePerConfigVersionWhenCredentialsGoWithoutTls() {
        String plain = record("\"smtpUser\":\"mailer@example.com\",\"smtpPassword\":\"hunter2-secret\"");
        config.pipeInput("default", plain);
        config.pipeInput("default", plain);
        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w).contains("'default'")
                .contains("without TLS").contains("mailer@example.com").doesNotContain("hunter2-secret"));

        config.pipeInput("default", plain.replace("hunter2-secret", "rotated-secret"));
        assertThat(warnings()).hasSize(2).noneMatch(w -> w.contains("rotated-secret"));
    }

    @Test
    void shouldNotWarnWithTlsWithoutCredentialsOrThroughGraph() {
        config.pipeInput("a", record("\"smtpUser\":\"u\",\"smtpPassword\":\"p\",\"startTls\":true"));
        config.pipeInput("b", record("\"smtpUser\":\"u\",\"smtpPassword\":\"p\",\"smtpSsl\":true"));
        config.pipeInput("c", record(""));
        config.pipeInput("d", "{\"enabled\":true,\"useGraphApi\":true,\"tenantId\":\"t\",\"clientId\":\"c\","
                + "\"clientSecret\":\"s\",\"smtpUser\":\"u\",\"postmaster\":\"noreply@example.com\"}");
        assertThat(warnings()).isEmpty();
    }
}
