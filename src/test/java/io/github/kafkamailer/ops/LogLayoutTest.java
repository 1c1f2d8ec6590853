package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * The shipped logback.xml (not the tests' own), as the mailer's process loads it: a text line carries the
 * date, the time zone and the thread, like the JSON one.
 */
class LogLayoutTest {
    private static final Path CONFIG = Path.of("src", "main", "resources", "logback.xml");

    private static String encode(String format) throws JoranException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        // As LogFormat sets it (a system property); the context's own property is looked up first.
        context.putProperty("mailer.log.format", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(CONFIG.toFile());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>) root.getAppender(format);
        assertThat(appender).as("root logs through " + format).isNotNull();
        LoggingEvent event = new LoggingEvent(Logger.class.getName(),
                context.getLogger("io.github.kafkamailer.topology.SendingRun"), Level.INFO,
                "tenant {}: sent {}", null, new Object[] {"acme", 3});
        event.setThreadName("mailer-sender-2");
        event.setInstant(Instant.parse("2026-12-01T09:45:12.345Z"));
        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        context.stop();
        return line;
    }

    @Test
    void shouldWriteDateZoneAndThreadInTextLines() throws Exception {
        String line = encode("TEXT");
        String stamp = line.substring(0, line.indexOf(' '));
        // Parsable as an ISO-8601 date-time with an offset: the instant survives the round trip.
        assertThat(OffsetDateTime.parse(stamp).toInstant()).isEqualTo(Instant.parse("2026-12-01T09:45:12.345Z"));
        assertThat(stamp).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})");
        assertThat(line).contains(" INFO  [mailer-sender-2] ").contains("tenant acme: sent 3").endsWith("\n");
    }

    @Test
    void shouldWriteTheSameFactsInJsonLines() throws Exception {
        JsonNode json = new ObjectMapper().readTree(encode("JSON"));
        assertThat(json.path("timestamp").asLong()).isEqualTo(Instant.parse("2026-12-01T09:45:12.345Z").toEpochMilli());
        assertThat(json.path("threadName").asText()).isEqualTo("mailer-sender-2");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("tenant acme: sent 3");
    }
}
