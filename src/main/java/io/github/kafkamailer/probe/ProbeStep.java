package io.github.kafkamailer.probe;

/**
 * One step of a config test and its outcome.
 *
 * @param name   DNS, CONNECT, TLS, STARTTLS, AUTH, TOKEN, GRAPH or SEND
 * @param detail what was found, for a person (addresses, certificate, server replies); never a secret
 */
public record ProbeStep(String name, boolean ok, String detail) {
}
