package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.EmailEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The Message-ID of an email, derived from its tenant and id alone, so that a resent email (a retry, a replay,
 * a second attempt after a crash) carries the same Message-ID and the receiving side can spot the duplicate,
 * while the same id in two tenants sending from one domain gives two Message-IDs.
 *
 * <p>Three forms, which never meet, so no two (tenant, id) share a Message-ID:
 * <ul>
 *   <li>tenant {@code default}: {@code <id@domain>} when the id is made of safe characters, else
 *       {@code <h + 40 hex digits@domain>}; exactly what the mailer wrote before tenants counted, so an email of
 *       {@code default} resent after an upgrade still matches the copy sent before it. Neither has a {@code =}
 *       or a {@code ~}.</li>
 *   <li>another tenant, id and tenant both safe: {@code <id=tenant@domain>}, readable ({@code =} is in neither
 *       part, so the pair is read back unambiguously).</li>
 *   <li>another tenant otherwise: {@code <h~ + 40 hex digits@domain>}, a hash of the pair.</li>
 * </ul>
 */
public final class MessageIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
    static final String FALLBACK_DOMAIN = "kafka-mailer.invalid";

    private MessageIds() {
    }

    /**
     * The Message-ID of this tenant's email; the domain is the sender's, which is what mail servers expect to see
     * on the right of the {@code @}. A null or empty tenant is {@code default}, as in the email event.
     */
    public static String of(String tenant, String emailId, String senderAddress) {
        return "<" + leftPart(tenant, emailId) + "@" + domainOf(senderAddress) + ">";
    }

    /** The (tenant, id) a readable Message-ID was made from. */
    public record Origin(String tenant, String emailId) {
    }

    /**
     * Reads back the (tenant, id) of one of our Message-IDs, when its form is readable: {@code <id@domain>} for
     * tenant {@code default} and {@code <id=tenant@domain>} for another tenant. Empty for a hashed form (the
     * pair can't be read back from a hash), and for anything else. {@code <h + 40 hex digits@domain>} reads as the
     * id it spells; the caller checks that such an email was sent.
     */
    public static java.util.Optional<Origin> read(String messageId) {
        if (messageId == null) {
            return java.util.Optional.empty();
        }
        String m = messageId.trim();
        if (m.length() < 3 || m.charAt(0) != '<' || m.charAt(m.length() - 1) != '>') {
            return java.util.Optional.empty();
        }
        int at = m.lastIndexOf('@');
        if (at < 2) {
            return java.util.Optional.empty();
        }
        String left = m.substring(1, at);
        if (left.startsWith("h~")) {
            return java.util.Optional.empty();
        }
        int eq = left.indexOf('=');
        if (eq < 0) {
            return safe(left) ? java.util.Optional.of(new Origin(EmailEvent.DEFAULT_TENANT, left))
                    : java.util.Optional.empty();
        }
        String id = left.substring(0, eq);
        String tenant = left.substring(eq + 1);
        return safe(id) && safe(tenant) && !EmailEvent.DEFAULT_TENANT.equals(tenant)
                ? java.util.Optional.of(new Origin(tenant, id)) : java.util.Optional.empty();
    }

    private static String leftPart(String tenant, String emailId) {
        if (tenant == null || tenant.isEmpty() || EmailEvent.DEFAULT_TENANT.equals(tenant)) {
            return safe(emailId) ? emailId : "h" + sha256Hex(emailId).substring(0, 40);
        }
        if (safe(emailId) && safe(tenant)) {
            return emailId + "=" + tenant;
        }
        // The tenant's length first: ("ab", "c") and ("a", "bc") hash apart.
        return "h~" + sha256Hex(tenant.length() + ":" + tenant + "\n" + emailId).substring(0, 40);
    }

    /** Usable as it is in a dot-atom: safe characters, no dot first, last or doubled. */
    private static boolean safe(String s) {
        return SAFE.matcher(s).matches() && !s.startsWith(".") && !s.endsWith(".") && !s.contains("..");
    }

    private static String domainOf(String address) {
        if (address == null || !Addresses.isValid(address)) {
            return FALLBACK_DOMAIN;
        }
        String bare = Addresses.bareAddress(address);
        return bare.substring(bare.lastIndexOf('@') + 1);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
