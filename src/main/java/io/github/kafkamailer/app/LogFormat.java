package io.github.kafkamailer.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Switches the log layout (text or JSON lines) from the process config, before the mailer logs anything. */
public final class LogFormat {
    public static final String KEY = MailerSettings.LOG_FORMAT;

    private LogFormat() {
    }

    /** {@code text} (default) or {@code json}; anything else is refused when the settings are parsed. */
    public static void apply(ProcessSettings settings) {
        String format = settings.checked().logFormat();
        String wanted = format.toUpperCase(Locale.ROOT);
        if (wanted.equals(System.getProperty(KEY, "TEXT"))) {
            return;
        }
        System.setProperty(KEY, wanted);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("cannot reconfigure logging: " + e.getMessage(), e);
            }
        }
    }
}
