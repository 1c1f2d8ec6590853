package io.github.kafkamailer.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The WARN lines one class logs while a test runs, as formatted messages (thread-safe). Open it with
 * try-with-resources: closing detaches it from the logger.
 */
public final class WarningLog implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLevel() == Level.WARN) {
                messages.add(e.getFormattedMessage());
            }
        }
    };

    private WarningLog(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing the WARN lines of {@code source}'s logger. */
    public static WarningLog of(Class<?> source) {
        return new WarningLog(source);
    }

    /** The WARN messages so far, live: later ones appear in the same list. */
    public List<String> messages() {
        return messages;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
