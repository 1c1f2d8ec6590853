package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Priority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of {@link PendingEmail} for the store, its changelog and the repartition topic: a
 * version byte first, so that a later layout can still read what an older mailer wrote.
 *
 * <p>The recipients still to send to are listed while the list is short, else given as bits over the email's own
 * recipients ({@link RecipientPositions}), so that the entry stays within the record limit however many and long
 * they are. Only an entry with bits is written as version 3: an older mailer refuses it rather than reading "every
 * recipient" into it, which would send the email again to those who have it.
 *
 * <p>A HIGH email's entry ends with one more byte, its priority ({@link #HIGH}); a NORMAL one's has none and stays
 * byte for byte as before. An older mailer, which stops reading before that byte, reads a HIGH email as NORMAL:
 * it still sends it, without the priority lane.
 *
 * <p>An entry whose earlier attempt left suppressed recipients out ends, after that, with {@link #SUPPRESSED} and
 * their list (only while it is short: a long one is not carried, and the final {@code SENT} names fewer). An older
 * mailer stops before them, and its {@code SENT} names none.
 */
public final class PendingEmailSerde implements Serde<PendingEmail> {
    /** 2 adds the recipients still to send to; 1 (without them) is still read. */
    private static final byte VERSION = 2;
    /** 2, with the recipients still to send to as bits over the email's own ({@link #AS_POSITIONS}). */
    private static final byte VERSION_POSITIONS = 3;
    /** In place of the count of recipients: bits follow, their length first. */
    private static final int AS_POSITIONS = -2;
    private static final long NONE = Long.MIN_VALUE;
    /** The optional last byte of a HIGH email's entry. */
    private static final byte HIGH = 'H';
    /** Marks the optional list of suppressed recipients at the entry's end. */
    private static final byte SUPPRESSED = 'S';

    @Override
    public Serializer<PendingEmail> serializer() {
        return (topic, p) -> p == null ? null : write(p);
    }

    @Override
    public Deserializer<PendingEmail> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(PendingEmail p) {
        List<String> only = p.onlyRecipients();
        byte[] positions = only == null || RecipientPositions.plainIsShort(only) ? null
                : RecipientPositions.of(p.value(), only);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(p.value().length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(positions == null ? VERSION : VERSION_POSITIONS);
            out.writeUTF(p.tenant());
            out.writeUTF(p.emailId());
            out.writeUTF(p.source());
            out.writeLong(p.acceptedAt().toEpochMilli());
            out.writeInt(p.attempts());
            out.writeLong(p.firstFailure() == null ? NONE : p.firstFailure().toEpochMilli());
            out.writeLong(p.dueAt().toEpochMilli());
            out.writeInt(p.value().length);
            out.write(p.value());
            if (positions != null) {
                out.writeInt(AS_POSITIONS);
                out.writeInt(positions.length);
                out.write(positions);
            } else {
                out.writeInt(only == null ? -1 : only.size());
            }
            if (only != null && positions == null) {
                for (String r : only) {
                    out.writeUTF(r);
                }
            }
            if (p.isHigh()) {
                out.writeByte(HIGH);
            }
            if (!p.suppressed().isEmpty() && RecipientPositions.plainIsShort(p.suppressed())) {
                out.writeByte(SUPPRESSED);
                out.writeInt(p.suppressed().size());
                for (String r : p.suppressed()) {
                    out.writeUTF(r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PendingEmail read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION && version != VERSION_POSITIONS && version != 1) {
                throw new SerializationException("pending email of unknown layout version " + version);
            }
            String tenant = in.readUTF();
            String id = in.readUTF();
            String source = in.readUTF();
            Instant acceptedAt = Instant.ofEpochMilli(in.readLong());
            int attempts = in.readInt();
            long first = in.readLong();
            Instant dueAt = Instant.ofEpochMilli(in.readLong());
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            List<String> only = null;
            if (version >= 2) {
                int n = in.readInt();
                if (n == AS_POSITIONS && version == VERSION_POSITIONS) {
                    byte[] positions = new byte[in.readInt()];
                    in.readFully(positions);
                    only = RecipientPositions.read(value, positions);
                } else if (n >= 0) {
                    only = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        only.add(in.readUTF());
                    }
                }
            }
            byte next = in.available() > 0 ? in.readByte() : 0;
            Priority priority = next == HIGH ? Priority.HIGH : Priority.NORMAL;
            if (next == HIGH) {
                next = in.available() > 0 ? in.readByte() : 0;
            }
            List<String> suppressed = List.of();
            if (next == SUPPRESSED) {
                int n = in.readInt();
                if (n < 0 || n > RecipientPositions.PLAIN_MAX_BYTES) {
                    throw new SerializationException("pending email with " + n + " suppressed recipients");
                }
                suppressed = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    suppressed.add(in.readUTF());
                }
            }
            return new PendingEmail(tenant, id, value, source, acceptedAt, attempts,
                    first == NONE ? null : Instant.ofEpochMilli(first), dueAt, only, priority, suppressed);
        } catch (IOException | InvalidRecordException | IllegalArgumentException e) {
            throw new SerializationException("unreadable pending email", e);
        }
    }
}
