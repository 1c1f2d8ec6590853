package io.github.kafkamailer.console;

import java.time.Clock;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per change made through the console, and per sign-in and failed sign-in: who (the admin, from
 * which address, which session), what (the action, its target, the names of the fields changed), when. Callers
 * give names and counts only, never values, so no secret can reach the log through here. Its own logger name,
 * {@value #LOGGER}, lets a deployment route it to a file of its own.
 */
final class AuditLog {
    static final String LOGGER = "io.github.kafkamailer.console.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final Clock clock;

    AuditLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param who     the admin and where they came from
     * @param action  e.g. {@code config.save}, {@code dlq.replay}
     * @param details target and outcome as name, value, name, value...: tenant, field names, counts; values of
     *                fields never go here
     */
    void record(String who, String action, Object... details) {
        StringJoiner line = new StringJoiner(" ");
        line.add("at=" + clock.instant());
        line.add("who=" + quoted(who));
        line.add("action=" + action);
        for (int i = 0; i + 1 < details.length; i += 2) {
            line.add(details[i] + "=" + quoted(String.valueOf(details[i + 1])));
        }
        LOG.info("console audit: {}", line);
    }

    /** Quotes a value with spaces, and strips line breaks so nobody can forge a second audit line. */
    private static String quoted(String v) {
        String clean = v.replaceAll("[\\r\\n\\t]", " ");
        return clean.contains(" ") || clean.isEmpty() ? "\"" + clean.replace("\"", "'") + "\"" : clean;
    }
}
