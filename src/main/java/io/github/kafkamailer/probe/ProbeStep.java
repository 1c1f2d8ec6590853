package io.github.kafkamailer.probe;

/**
 * One step of a config test and its outcome.
 *
 * @param name   DNS, CONNECT, TLS, STARTTLS, AUTH, TOKEN, GRAPH or SEND
 * @param detail what was found, for a person (addresses, certificate, server replies); never a secret
 * @param server which of the tenant's servers the step tested, {@code primary} or {@code fallback}, when it has a
 *               fallback server ({@code fallbackSmtpHost}); null otherwise
 */
public record ProbeStep(String name, boolean ok, String detail, String server) {
    public ProbeStep(String name, boolean ok, String detail) {
        this(name, ok, detail, null);
    }
}
