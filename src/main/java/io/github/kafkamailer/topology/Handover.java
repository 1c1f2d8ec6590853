package io.github.kafkamailer.topology;

import io.github.kafkamailer.failure.DeadLetters;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.transport.SendOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a task's previous owner tells the next one about an email that was in flight when it let the task go: sent
 * (to whom), drafted, or not sent. It travels as a header of a record in the topic the sending task reads (the
 * {@code by-tenant} repartition topic, in the task's own partition), whose value is the pending email itself; the
 * next owner records it as if the outcome had come back from its own senders (see {@link InFlightMarkers}).
 *
 * <p>Only what the recording needs is carried: a failure of any kind is "not sent", and the next owner sends the
 * email again, as it would after any failed attempt (one more attempt, never a duplicate).
 *
 * @param pendingKey the email's key in the pending store
 * @param by         the task incarnation that handed it out (its marker's)
 * @param kind       what became of it
 * @param transport  what sent or drafted it; null when not sent
 * @param at         when the server accepted it, or the draft was made; null when not sent
 * @param rejected   recipients the server refused for good while it took others
 * @param deferred   recipients the server deferred (4xx) while it took others: retried later, they only
 * @param deferredReason what the server said about the deferred ones; null when none
 * @param suppressed the recipients left out because they were suppressed, which the {@code SENT} status names;
 *                   written after the other fields, where a mailer that doesn't know them stops reading
 */
record Handover(String pendingKey, String by, Kind kind, TransportKind transport, Instant at, List<String> rejected,
                List<String> deferred, String deferredReason, List<String> suppressed) {
    /** The header that marks a record as a handover, not an email to add to the store. */
    static final String HEADER = "mailer.handover";
    private static final int FORMAT = 1;

    enum Kind { SENT, DRAFTED, NOT_SENT }

    Handover {
        rejected = List.copyOf(rejected);
        deferred = List.copyOf(deferred);
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
    }

    /** A handover naming no suppressed recipient. */
    Handover(String pendingKey, String by, Kind kind, TransportKind transport, Instant at, List<String> rejected,
             List<String> deferred, String deferredReason) {
        this(pendingKey, by, kind, transport, at, rejected, deferred, deferredReason, List.of());
    }

    /** The handover of one outcome: a failure or a job not attempted is "not sent". */
    static Handover of(String pendingKey, String by, SendResult r) {
        SendOutcome o = r.outcome();
        if (o instanceof SendOutcome.Delivered d) {
            return new Handover(pendingKey, by, Kind.SENT, d.transport(), d.acceptedAt(), d.rejectedRecipients(),
                    d.deferredRecipients(), d.deferredReason() == null ? null : DeadLetters.shorten(d.deferredReason()),
                    r.job().suppressed());
        }
        if (o instanceof SendOutcome.Drafted d) {
            return new Handover(pendingKey, by, Kind.DRAFTED, d.transport(), d.draftedAt(), List.of(), List.of(), null);
        }
        return new Handover(pendingKey, by, Kind.NOT_SENT, null, null, List.of(), List.of(), null);
    }

    /** The outcome to record, as the old owner's senders returned it; null for "not sent" (nothing to record). */
    SendOutcome outcome() {
        return switch (kind) {
            case SENT -> new SendOutcome.Delivered(transport, at, rejected, deferred, deferredReason);
            case DRAFTED -> new SendOutcome.Drafted(transport, at);
            case NOT_SENT -> null;
        };
    }

    /** The handover a record carries; null when it carries none (an email to add to the store). */
    static Handover carriedBy(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(HEADER);
        return h == null ? null : read(h.value());
    }

    byte[] write() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(pendingKey);
            out.writeUTF(by);
            out.writeByte(kind.ordinal());
            out.writeUTF(transport == null ? "" : transport.name());
            out.writeLong(at == null ? Long.MIN_VALUE : at.toEpochMilli());
            writeList(out, rejected);
            writeList(out, deferred);
            out.writeBoolean(deferredReason != null);
            if (deferredReason != null) {
                out.writeUTF(deferredReason);
            }
            // Last, and only when there are some: a handover without them is byte for byte what it was.
            if (!suppressed.isEmpty()) {
                writeList(out, suppressed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a handover this version reads */
    static Handover read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown handover format " + format);
            }
            String key = in.readUTF();
            String by = in.readUTF();
            Kind kind = Kind.values()[in.readByte()];
            String transport = in.readUTF();
            long at = in.readLong();
            List<String> rejected = readList(in);
            List<String> deferred = readList(in);
            String reason = in.readBoolean() ? in.readUTF() : null;
            List<String> suppressed = in.available() > 0 ? readList(in) : List.of();
            return new Handover(key, by, kind, transport.isEmpty() ? null : TransportKind.valueOf(transport),
                    at == Long.MIN_VALUE ? null : Instant.ofEpochMilli(at), rejected, deferred, reason, suppressed);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable handover: " + e.getMessage(), e);
        }
    }

    private static void writeList(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            out.writeUTF(s);
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("bad list size " + n);
        }
        List<String> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }
}
