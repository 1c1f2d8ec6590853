package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.Addresses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The Message-ID of an email, derived from its id alone, so that a resent email (after a crash) carries the
 * same Message-ID and the receiving side can spot the duplicate.
 */
public final class MessageIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
    static final String FALLBACK_DOMAIN = "kafka-mailer.invalid";

    private MessageIds() {
    }

    /**
     * {@code <id@domain>} when the id is made of safe characters, else a hash of it; the domain is the
     * sender's, which is what mail servers expect to see on the right of the {@code @}.
     */
    public static String of(String emailId, String senderAddress) {
        String left = SAFE.matcher(emailId).matches() && !emailId.startsWith(".") && !emailId.endsWith(".")
                && !emailId.contains("..") ? emailId : "h" + sha256Hex(emailId).substring(0, 40);
        return "<" + left + "@" + domainOf(senderAddress) + ">";
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
