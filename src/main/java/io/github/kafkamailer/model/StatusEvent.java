package io.github.kafkamailer.model;

import java.time.Instant;
import java.util.List;

/**
 * One status change of one email. {@code error} is a reason for a person and never holds a secret: it is built
 * from server replies and our own messages, never from the config.
 *
 * @param server       on {@code SENT}: {@code primary} or {@code fallback}; null otherwise
 * @param template     on {@code SENT}: the name of the template the email was rendered from; null otherwise
 * @param suppressed   on {@code SENT}: the suppressed recipients left out; empty otherwise
 * @param recipient    on {@code BOUNCED}: the recipient the report is about; null otherwise
 */
public record StatusEvent(String id, String tenant, Status status, int attempts, Instant at,
                          TransportKind transport, String error, String server, String template,
                          List<String> suppressed, String recipient) {

    public static final String PRIMARY_SERVER = "primary";
    public static final String FALLBACK_SERVER = "fallback";

    public StatusEvent {
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
    }

    /** A status without the optional fields. */
    public StatusEvent(String id, String tenant, Status status, int attempts, Instant at, TransportKind transport,
                       String error) {
        this(id, tenant, status, attempts, at, transport, error, null, null, List.of(), null);
    }

    public StatusEvent withServer(String server) {
        return new StatusEvent(id, tenant, status, attempts, at, transport, error, server, template, suppressed,
                recipient);
    }

    public StatusEvent withTemplate(String template) {
        return new StatusEvent(id, tenant, status, attempts, at, transport, error, server, template, suppressed,
                recipient);
    }

    public StatusEvent withSuppressed(List<String> suppressed) {
        return new StatusEvent(id, tenant, status, attempts, at, transport, error, server, template, suppressed,
                recipient);
    }

    public StatusEvent withRecipient(String recipient) {
        return new StatusEvent(id, tenant, status, attempts, at, transport, error, server, template, suppressed,
                recipient);
    }
}
