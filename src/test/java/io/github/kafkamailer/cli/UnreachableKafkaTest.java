package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.admin.KafkaAccess;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * With no broker at the address, every client command gives up within its timeout (+ 2 s), in one line naming
 * the address, exit 1, and the Kafka client's own warnings stay hidden.
 */
class UnreachableKafkaTest {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private String address;

    @BeforeEach
    void setUp() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            address = "127.0.0.1:" + s.getLocalPort(); // nothing listens there once closed
        }
        logged.start();
        root().addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        root().detachAppender(logged);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private record Timed(CliTest.Result result, Duration took) {
    }

    private Timed run(String... args) {
        long start = System.nanoTime();
        CliTest.Result r = CliTest.run(args);
        return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
    }

    @ParameterizedTest
    @ValueSource(strings = {"send --to bob@example.com --subject s --text t", "config get --tenant acme",
            "config set --tenant acme --set campaignIntervalSeconds=60", "config history", "status --id x --history",
            "dlq list", "dlq show --id x", "dlq replay --all", "topics create", "config test --tenant acme"})
    void shouldGiveUpWithinTheTimeoutInOneLine(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("-b", address, "--timeout", "2s"));
        Timed t = run(args.toArray(String[]::new));
        assertThat(t.result().code()).as(t.result().err()).isEqualTo(1);
        assertThat(t.result().err()).isEqualTo("error: cannot reach Kafka at " + address + " within 2 s"
                + System.lineSeparator());
        assertThat(t.result().out()).isEmpty();
        assertThat(t.took()).as("returned within the timeout + 2 s").isLessThan(Duration.ofSeconds(4));
        assertThat(kafkaWarnings()).isEmpty();
    }

    /** The case: `send` with the default timeout (15 s) used to hang 36-47 s and print ~60 WARN lines. */
    @Test
    void shouldGiveUpOnSendWithinTheDefaultTimeout() {
        Timed t = run("send", "--to", "bob@example.com", "--subject", "s", "--text", "t", "--bootstrap-server", address);
        assertThat(t.result().code()).isEqualTo(1);
        assertThat(t.result().err()).isEqualTo("error: cannot reach Kafka at " + address + " within 15 s"
                + System.lineSeparator());
        assertThat(t.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(14)).isLessThan(Duration.ofSeconds(17));
        assertThat(kafkaWarnings()).isEmpty();
    }

    @Test
    void shouldShowTheKafkaClientsWarningsWhenVerbose() {
        Timed t = run("status", "--id", "x", "--history", "-b", address, "--timeout", "2s", "--verbose");
        assertThat(t.result().code()).isEqualTo(1);
        assertThat(kafkaWarnings()).isNotEmpty();
        CliLogging.kafkaClients(false);
    }

    @Test
    void shouldSayOncePerIntervalWhileWaitingForTheBroker() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", address);
        List<String> said = new ArrayList<>();
        int[] attempts = {0};
        long start = System.nanoTime();
        boolean reached = new BrokerWait(new KafkaAccess(p, Duration.ofMillis(300)), Duration.ofSeconds(60), said::add)
                .await(() -> attempts[0]++ >= 4);
        assertThat(reached).isFalse();
        assertThat(attempts[0]).isEqualTo(5);
        assertThat(said).containsExactly("cannot reach Kafka at " + address
                + " within 0.3 s; still trying (said once per 60 s)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    private List<ILoggingEvent> kafkaWarnings() {
        return logged.list.stream().filter(e -> e.getLoggerName().startsWith("org.apache.kafka")
                && e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }
}
