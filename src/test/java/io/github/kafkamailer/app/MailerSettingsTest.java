package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.TopicNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every mailer.* key declared once, parsed once: unknown keys and refused values named with the reason. */
class MailerSettingsTest {
    private static MailerSettings parse(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return ProcessSettings.of(p).checked();
    }

    @Test
    void shouldGiveTheDeclaredDefaultsWhenNothingIsSet() {
        MailerSettings s = parse();
        assertThat(s.topics()).isEqualTo(TopicNames.defaults());
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.managementPort()).isEqualTo(-1);
        assertThat(s.httpBind()).isEqualTo("127.0.0.1");
        assertThat(s.peerToken()).isEmpty();
        assertThat(s.consolePassword()).isEmpty();
        assertThat(s.consoleBasePath()).isEqualTo("/console/");
        assertThat(s.consoleSessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.tick()).isEqualTo(Duration.ofMillis(20));
        assertThat(s.batchSize()).isEqualTo(200);
        assertThat(s.batchMaxBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(s.inFlightMaxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(s.sendDeadline()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.sendMaxConnections()).isEqualTo(256);
        assertThat(s.smtpTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.secretsDirs()).containsExactly(Path.of("/run/secrets"));
        assertThat(s.secretsEnvPrefix()).isEqualTo("MAILER_");
        assertThat(s.logFormat()).isEqualTo("text");
        assertThat(s.topicPartitions("outbox")).isEqualTo(-1);
        assertThat(s.topicReplicationFactor("status")).isEqualTo((short) -1);
    }

    @Test
    void shouldParseEachValueOnceIntoItsType() {
        MailerSettings s = parse("mailer.tick.ms", " 50 ", "mailer.batch.size", "10", "mailer.log.format", "JSON",
                "mailer.send.max.connections", "8", "mailer.topic.partitions", "6", "mailer.topic.dlq.partitions", "1",
                "console.password", " spaced ", "mailer.http.peer.token", " a-token-of-24-characters ");
        assertThat(s.tick()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.batchSize()).isEqualTo(10);
        assertThat(s.logFormat()).isEqualTo("json");
        assertThat(s.sendMaxConnections()).isEqualTo(8);
        assertThat(s.topicPartitions("outbox")).isEqualTo(6);
        assertThat(s.topicPartitions("dlq")).isEqualTo(1);
        // A password is taken as written; the peers' token, as before, without its surrounding spaces.
        assertThat(s.consolePassword()).contains(" spaced ");
        assertThat(s.peerToken()).contains("a-token-of-24-characters");
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingItAndTheKeyItResembles() {
        assertThatThrownBy(() -> parse("mailer.htpp.port", "9090"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting mailer.htpp.port (did you mean mailer.http.port?)");
        assertThatThrownBy(() -> parse("console.pasword", "correct horse battery"))
                .hasMessageContaining("unknown setting console.pasword (did you mean console.password?)")
                .hasMessageNotContaining("correct horse battery");
        assertThatThrownBy(() -> parse("mailer.quantum.flux", "1"))
                .hasMessage("unknown setting mailer.quantum.flux (README, \"Process settings\", lists every mailer.* and"
                        + " console.* key)");
    }

    @Test
    void shouldLeaveKafkasKeysAlone() {
        MailerSettings s = parse("bootstrap.servers", "k:9092", "producer.batch.size", "1", "application.server", "x:1");
        assertThat(s.batchSize()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailer.tick.ms", "mailer.batch.size", "mailer.batch.max.bytes", "mailer.inflight.max.bytes",
            "mailer.send.deadline.seconds", "mailer.send.max.connections", "mailer.smtp.timeout.seconds",
            "console.session.minutes"})
    void shouldNameTheKeyOfANumberThatIsNotOneOrTooSmall(String key) {
        // Before, several of these failed with a bare NumberFormatException that named no key.
        // A key that an environment variable sets too names it in parentheses: "key (VARIABLE) must be ...".
        assertThatThrownBy(() -> parse(key, "fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key + " ").hasMessageEndingWith(" must be at least 1, got 'fast'");
        assertThatThrownBy(() -> parse(key, "0")).hasMessageStartingWith(key + " ")
                .hasMessageEndingWith(" must be at least 1, got '0'");
    }

    @Test
    void shouldNameTheOtherNamesOfAKeyAndTheRule() {
        assertThatThrownBy(() -> parse("mailer.http.port", "eighty")).hasMessage("mailer.http.port (MAILER_HTTP_PORT,"
                + " --http-port) must be a port number, 0 for a free one or -1 for none, got 'eighty'");
        assertThatThrownBy(() -> parse("mailer.log.format", "xml"))
                .hasMessage("mailer.log.format (MAILER_LOG_FORMAT) must be text or json, got 'xml'");
        assertThatThrownBy(() -> parse("mailer.topic.outbox.partitions", "0"))
                .hasMessage("mailer.topic.outbox.partitions must be a positive number or -1 (the broker's default),"
                        + " got '0'");
        assertThatThrownBy(() -> parse("mailer.topic.outbox", "mail outbox"))
                .hasMessageStartingWith("mailer.topic.outbox must be a topic name");
    }

    @Test
    void shouldNeverQuoteASecret() {
        // A client sends whatever the file holds; the mailer refuses to guard /api/ with a short one.
        MailerSettings shortToken = parse("mailer.http.peer.token", "hunter2");
        assertThat(shortToken.peerToken()).contains("hunter2");
        assertThatThrownBy(shortToken::servedPeerToken)
                .hasMessage("mailer.http.peer.token (MAILER_HTTP_PEER_TOKEN) must be at least 16 characters long");
        assertThat(parse("mailer.http.peer.token", "  ").servedPeerToken()).isEmpty();
        assertThatThrownBy(() -> parse("mailer.http.peer.token", "hunter2", "mailer.batch.size", "none"))
                .hasMessageContaining("mailer.batch.size").hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        assertThatThrownBy(() -> parse("mailer.batch.size", "0", "mailer.tick.msec", "5", "mailer.http.bind", ""))
                .hasMessageContaining("mailer.batch.size must be at least 1")
                .hasMessageContaining("unknown setting mailer.tick.msec (did you mean mailer.tick.ms?)")
                .hasMessageContaining("mailer.http.bind (MAILER_HTTP_BIND) must be not empty");
    }

    @Test
    void shouldDeclareEveryKeyWithATypeAnImportanceAndADoc() {
        for (ConfigDef.ConfigKey key : MailerSettings.DEFINITION.configKeys().values()) {
            assertThat(MailerSettings.OWN_PREFIXES).as(key.name).anyMatch(key.name::startsWith);
            assertThat(key.documentation).as(key.name).isNotBlank().endsWith(".");
            assertThat(key.importance).as(key.name).isNotNull();
            assertThat(key.hasDefault()).as(key.name).isTrue();
        }
        assertThat(MailerSettings.DEFINITION.configKeys().get("mailer.http.peer.token").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(MailerSettings.DEFINITION.configKeys().get("console.password").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void shouldDeclareEveryKeyTheCodeNames() throws IllegalAccessException {
        // A key named anywhere in app/ must be declared, or the mailer would refuse its own setting.
        for (Class<?> c : new Class<?>[] {ProcessSettings.class, LogFormat.class, MailerSettings.class}) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    f.setAccessible(true);
                    String value = (String) f.get(null);
                    if (MailerSettings.OWN_PREFIXES.stream().anyMatch(value::startsWith)) {
                        assertThat(MailerSettings.DEFINITION.names()).as(c.getSimpleName() + "." + f.getName())
                                .contains(value);
                    }
                }
            }
        }
        for (String role : MailerSettings.TOPIC_ROLES) {
            assertThat(MailerSettings.DEFINITION.names()).contains(MailerSettings.topicPartitionsKey(role),
                    MailerSettings.topicReplicationFactorKey(role));
        }
    }

    @Test
    void shouldParseOnceAndKeepTheEnvironmentsOrder() {
        ProcessSettings s = ProcessSettings.load(null, false, Map.of("mailer.batch.size", "7"),
                Map.of("MAILER_LOG_FORMAT", "json"));
        assertThat(s.checked()).isSameAs(s.checked());
        assertThat(s.batchSize()).isEqualTo(7);
        assertThat(s.checked().logFormat()).isEqualTo("json");
    }

    @Test
    void shouldMeasureTheDistanceBetweenKeys() {
        assertThat(MailerSettings.editDistance("mailer.tick.ms", "mailer.tick.ms")).isZero();
        assertThat(MailerSettings.editDistance("mailer.htpp.port", "mailer.http.port")).isEqualTo(1);
        assertThat(MailerSettings.editDistance("mailer.tick.msec", "mailer.tick.ms")).isEqualTo(2);
        assertThat(MailerSettings.editDistance("", "abc")).isEqualTo(3);
    }
    @Test
    void shouldAcceptEveryExampleOfTheShippedConfigFileUncommented() throws java.io.IOException {
        Properties examples = new Properties();
        for (String line : java.nio.file.Files.readAllLines(Path.of("config", "mailer.properties"))) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("#((?:mailer|console)\\.[a-z.]+)=(.*)")
                    .matcher(line);
            if (m.matches()) {
                examples.setProperty(m.group(1), m.group(2));
            }
        }
        assertThat(examples.stringPropertyNames()).contains("mailer.topic.outbox", "mailer.http.port",
                "mailer.log.format");
        assertThat(ProcessSettings.of(examples).checked().topics()).isEqualTo(TopicNames.defaults());
    }
}
