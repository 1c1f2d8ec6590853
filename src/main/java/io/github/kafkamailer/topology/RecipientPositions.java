package io.github.kafkamailer.topology;

import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.json.EmailEventJson;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The recipients an email is still to be sent to, in a form whose size does not depend on how long the addresses
 * are: one bit per recipient of the email itself ({@code to}, then {@code cc}, then {@code bcc}, in their order),
 * set for those still to send to. Written in place of the list when the list is long ({@link #PLAIN_MAX_BYTES}).
 *
 * <p>Why bits rather than splitting one email into several retry records or dead-lettering the rest: the bits
 * always fit. Each recipient takes at least 6 bytes of the email's own JSON ({@code "a@b",}) and one bit here, so
 * the bits are under 1/48 of the value: far less than the headroom the mailer's topics and producer have beyond
 * the outbox's limit (10 %, at least 64 KiB). One record per email keeps what already holds: one pending entry
 * per (tenant, id) and due time, one email in flight per (tenant, id), the same Message-ID; nobody is dropped
 * and nobody who accepted it is sent it again.
 */
final class RecipientPositions {
    /**
     * A list of recipients up to this many bytes (UTF-8, one per line) is written as it is, for a person reading
     * the retry topic; a longer one as bits. Four times this still fits the smallest headroom.
     */
    static final int PLAIN_MAX_BYTES = 16 * 1024;

    private RecipientPositions() {
    }

    /** True when the list, one per line, is short enough to be written as it is. */
    static boolean plainIsShort(List<String> recipients) {
        long bytes = 0;
        for (String r : recipients) {
            bytes += r.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > PLAIN_MAX_BYTES) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bits of {@code recipients} among the email's own (bare addresses, case-insensitive); null when one of
     * them is not a recipient of the email (then only the list can say it).
     *
     * @param value the email event's bytes
     */
    static byte[] of(byte[] value, List<String> recipients) {
        List<String> all = EmailEventJson.recipients(value);
        Map<String, Integer> first = new HashMap<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            first.put(key(all.get(i)), i);
        }
        BitSet bits = new BitSet(all.size());
        for (String r : recipients) {
            Integer at = r.isEmpty() ? null : first.get(key(r));
            if (at == null) {
                return null;
            }
            bits.set(at);
        }
        return bits.toByteArray();
    }

    /**
     * The recipients the bits name: the email's bare addresses, each once, in the email's order.
     *
     * @param value the email event's bytes
     * @throws IllegalArgumentException when the bits name no recipient, or one the email doesn't have
     */
    static List<String> read(byte[] value, byte[] positions) {
        List<String> all = EmailEventJson.recipients(value);
        BitSet bits = BitSet.valueOf(positions);
        if (bits.length() > all.size()) {
            throw new IllegalArgumentException("recipient positions name recipient " + bits.length() + " of an email"
                    + " with " + all.size());
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            out.add(Addresses.bareAddress(all.get(i)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("recipient positions name no recipient");
        }
        return List.copyOf(out);
    }

    private static String key(String address) {
        return Addresses.bareAddress(address).toLowerCase(Locale.ROOT);
    }
}
