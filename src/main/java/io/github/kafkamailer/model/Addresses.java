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
        String displayProblem = displayNameProblem(address);
        if (displayProblem != null) {
            return displayProblem;
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

    /**
     * The display name before {@code <...>}, if any, must be a quoted string or plain words: an unquoted comma,
     * semicolon, colon, angle bracket, @ or quote would make the header mean something else.
     */
    private static String displayNameProblem(String address) {
        String a = address.trim();
        int lt = a.lastIndexOf('<');
        if (lt < 0 || !a.endsWith(">")) {
            return a.indexOf('<') >= 0 || a.indexOf('>') >= 0 ? "has unbalanced angle brackets" : null;
        }
        String name = a.substring(0, lt).trim();
        if (name.isEmpty()) {
            return null;
        }
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            String inner = name.substring(1, name.length() - 1);
            return inner.replace("\\\\", "").replace("\\\"", "").indexOf('"') >= 0
                    ? "has an unescaped quote in its display name" : null;
        }
        for (char c : name.toCharArray()) {
            if (",;:<>@[]\"\\()".indexOf(c) >= 0) {
                return "has a display name with '" + c + "': quote it, as in \"Smith, Bob\" <bob@example.com>";
            }
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
