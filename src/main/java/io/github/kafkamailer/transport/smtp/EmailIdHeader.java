package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.EmailRules;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The mailer's own header on every email it sends, {@value EmailRules#EMAIL_ID_HEADER}, naming the email's tenant
 * and id so that a delivery status notification returning the email (or its headers) can be matched to it whatever
 * characters they have: a Message-ID is a hash when they have others than {@code [A-Za-z0-9._+-]}
 * ({@link MessageIds}), and a hash can't be read back.
 *
 * <p>The value is {@code base64url(tenant) "." base64url(id)}, UTF-8, without padding: ASCII only, no character a
 * header or Microsoft Graph (which takes custom headers starting with {@code X-}) treats specially. A long one is
 * cut into pieces of {@value #PIECE} characters with a space between, where a header may be folded; reading
 * ignores the white space. An event's own {@code headers} can't set it ({@link EmailRules}).
 */
public final class EmailIdHeader {
    /** The header's name. */
    public static final String NAME = EmailRules.EMAIL_ID_HEADER;
    /** Where a long value may be folded: at most this many characters without white space. */
    static final int PIECE = 76;
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private EmailIdHeader() {
    }

    /** The header's value for this tenant's email; a null or empty tenant is {@code default}, as in the event. */
    public static String value(String tenant, String emailId) {
        String t = tenant == null || tenant.isEmpty() ? EmailEvent.DEFAULT_TENANT : tenant;
        String plain = encode(t) + "." + encode(emailId);
        StringBuilder out = new StringBuilder(plain.length() + plain.length() / PIECE);
        for (int i = 0; i < plain.length(); i += PIECE) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(plain, i, Math.min(plain.length(), i + PIECE));
        }
        return out.toString();
    }

    /**
     * The (tenant, id) a value of this header names; empty when it is no value this class wrote (or one too long
     * for an event's tenant and id, or not UTF-8).
     */
    public static Optional<MessageIds.Origin> read(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String plain = value.replaceAll("\\s+", "");
        if (!FORM.matcher(plain).matches()) {
            return Optional.empty();
        }
        int dot = plain.indexOf('.');
        String tenant = decode(plain.substring(0, dot), EmailRules.MAX_TENANT_LENGTH);
        String id = decode(plain.substring(dot + 1), EmailRules.MAX_ID_LENGTH);
        return tenant == null || id == null ? Optional.empty() : Optional.of(new MessageIds.Origin(tenant, id));
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The text, or null when it is not base64url of UTF-8 text of 1 to {@code maxChars} characters. */
    private static String decode(String b64, int maxChars) {
        // A UTF-8 character is at most 4 bytes: anything longer can't be one of ours, and is not decoded.
        if (b64.length() > (maxChars * 4 + 2) / 3 * 4) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(b64);
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return s.isEmpty() || s.length() > maxChars || s.chars().anyMatch(Character::isISOControl) ? null : s;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }
}
