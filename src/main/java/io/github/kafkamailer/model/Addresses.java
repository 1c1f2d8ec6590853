package io.github.kafkamailer.model;

import java.util.regex.Pattern;

/**
 * The address check the contract's rules use: {@code local@domain}, optionally as {@code Name <local@domain>}.
 * Deliberately stricter than RFC 5322 (no quoted local parts, no comments, no IP literals): what passes here is
 * what every SMTP server and Microsoft Graph accept, and it is known before a send is attempted.
 */
public final class Addresses {
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private Addresses() {
    }

    /** Null when the address is valid, else why not. */
    public static String problem(String address) {
        if (address == null || address.isBlank()) {
            return "is empty";
        }
        if (address.length() > 320) {
            return "is longer than 320 characters";
        }
        if (address.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "contains a control character (CR, LF, ...)";
        }
        String bare = bareAddress(address);
        int at = bare.lastIndexOf('@');
        if (at <= 0 || at == bare.length() - 1) {
            return "is not an address of the form local@domain";
        }
        String local = bare.substring(0, at);
        String domain = bare.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return "has an invalid local part '" + local + "'";
        }
        if (domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
            return "has an invalid domain '" + domain + "'";
        }
        return null;
    }

    public static boolean isValid(String address) {
        return problem(address) == null;
    }

    /** {@code a@b} from {@code Name <a@b>}; the address itself when it has no display name. */
    public static String bareAddress(String address) {
        String a = address.trim();
        int lt = a.lastIndexOf('<');
        if (lt >= 0 && a.endsWith(">")) {
            return a.substring(lt + 1, a.length() - 1).trim();
        }
        return a;
    }
}
