package io.github.kafkamailer.unsubscribe;

import io.github.kafkamailer.model.Suppression;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens of the mailer's own one-click unsubscribe links (CONTRACT.md, "One-click unsubscribe"): a token names a
 * tenant and a recipient, and is signed with the process's key, so that nobody without the key can make one that
 * unsubscribes somebody else, and no change to a token goes unnoticed.
 *
 * <p>The form: {@code PAYLOAD.SIGNATURE}, both url-safe base64 without padding; the payload is
 * {@code TENANT LF ADDRESS} (the bare address, lower-cased) in UTF-8, and the signature HMAC-SHA256 under the key of
 * a fixed label and the payload. Checked in constant time. The payload is encoded, not encrypted: a token tells
 * whoever holds it (the recipient) the address it unsubscribes, nothing else.
 *
 * <p>Thread-safe. The key is never part of {@link #toString()} or of any message.
 */
public final class UnsubscribeTokens {
    /** A key shorter than this is refused: HMAC-SHA256 wants 32 bytes of secret to be as strong as it can be. */
    public static final int MIN_KEY_BYTES = 32;
    /** Longer tokens are not read at all: a tenant and an address fit well within it. */
    public static final int MAX_TOKEN_LENGTH = 2048;
    private static final String ALGORITHM = "HmacSHA256";
    /** Signed before the payload: a signature made for anything else of the mailer's is no token. */
    private static final byte[] LABEL = "kafka-mailer unsubscribe v1\n".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Who a token unsubscribes: a tenant and a bare, lower-cased address. */
    public record Recipient(String tenant, String address) {
        /** The key of the suppression record: {@code TENANT/ADDRESS}. */
        public String suppressionKey() {
            return Suppression.keyOf(tenant, address);
        }
    }

    private final SecretKeySpec key;

    /**
     * @param key the secret, at least {@value #MIN_KEY_BYTES} bytes of UTF-8
     * @throws IllegalArgumentException for a shorter key (the message never quotes it)
     */
    public UnsubscribeTokens(String key) {
        byte[] bytes = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the unsubscribe key must be at least " + MIN_KEY_BYTES
                    + " bytes long, got " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The token of {@code address} (any RFC 5322 form: its bare address, lower-cased, is signed) at {@code tenant}. */
    public String tokenFor(String tenant, String address) {
        byte[] payload = (tenant + "\n" + Suppression.normalize(address)).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    }

    /**
     * Who {@code token} unsubscribes; empty for anything but a token this key made, unchanged (forged, altered,
     * cut, made with another key, or not a token at all).
     */
    public Optional<Recipient> read(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Re-encoding must give the token back: base64 lets the last character's unused bits vary, and a token
        // that differs from the one the mailer made, in any character, is refused.
        if (!MessageDigest.isEqual(sign(payload), signature)
                || !(ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(signature)).equals(token)) {
            return Optional.empty();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        int lf = text.indexOf('\n');
        if (lf <= 0 || lf == text.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Recipient(text.substring(0, lf), text.substring(lf + 1)));
    }

    private byte[] sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(LABEL);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    @Override
    public String toString() {
        return "UnsubscribeTokens[key=(secret)]";
    }
}
