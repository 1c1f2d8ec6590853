package io.github.kafkamailer.topology;

/**
 * A record on its way out of the topology to one of the contract's topics; the key travels as the record's
 * key, the headers as its headers. One sink routes them all by {@link #topic}.
 */
public record Outbound(String topic, byte[] value) implements Routed {
}
