package io.github.kafkamailer.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An entry of the {@value io.github.kafkamailer.model.StoreNames#STATUS_LATEST_STORE} store: the latest status event
 * of one (tenant, id), as the status topic holds it (JSON bytes, unchanged), and when the entry expires (epoch millis).
 */
public record LatestStatus(long expiresAtMs, byte[] json) {
    public LatestStatus {
        if (json == null) {
            throw new IllegalArgumentException("json is required");
        }
    }

    /** A version byte first, so that a later layout can still read what an older mailer wrote. */
    public static final class LatestStatusSerde implements Serde<LatestStatus> {
        private static final byte VERSION = 1;

        @Override
        public Serializer<LatestStatus> serializer() {
            return (topic, s) -> s == null ? null : ByteBuffer.allocate(1 + Long.BYTES + s.json().length)
                    .put(VERSION).putLong(s.expiresAtMs()).put(s.json()).array();
        }

        @Override
        public Deserializer<LatestStatus> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length < 1 + Long.BYTES || bytes[0] != VERSION) {
                    throw new SerializationException("not a latest-status entry of a known version");
                }
                ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
                long expires = b.getLong();
                byte[] json = new byte[b.remaining()];
                b.get(json);
                return new LatestStatus(expires, json);
            };
        }
    }
}
