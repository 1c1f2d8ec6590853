package io.github.kafkamailer.model;

/**
 * The address check the contract's rules use: {@code local@domain}, optionally as {@code Name <local@domain>}.
 * Deliberately stricter than RFC 5322 (no quoted local parts, no comments, no IP literals): what passes here is
 * what every SMTP server and Microsoft Graph accept, and it is known before a send is attempted.
 */
public final class Addresses {
    /** The characters of an atom of a local part (RFC 5322 atext) besides letters and digits. */
    private static final String ATEXT_SYMBOLS = "!#$%&'*+/=?^_`{|}~-";

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
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character (CR, LF, ...)";
            }
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
        if (local.length() > 64 || !isDotAtom(local)) {
            return "has an invalid local part '" + local + "'";
        }
        if (domain.length() > 253 || !isHostName(domain)) {
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

    /*
     * The two checks below are loops rather than regular expressions: they run on every address of every email,
     * at intake and again before the send, and the expressions took about 4 % of the mailer's CPU.
     */

    /** Atoms of letters, digits and {@link #ATEXT_SYMBOLS}, joined by single dots. */
    private static boolean isDotAtom(String s) {
        boolean atomStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (atomStart) {
                    return false; // a leading dot, or two in a row
                }
                atomStart = true;
            } else if (isAsciiLetterOrDigit(c) || ATEXT_SYMBOLS.indexOf(c) >= 0) {
                atomStart = false;
            } else {
                return false;
            }
        }
        return !atomStart; // not empty, no trailing dot
    }

    /** Labels of 1 to 63 letters, digits and hyphens, neither starting nor ending with a hyphen, joined by dots. */
    private static boolean isHostName(String s) {
        int labelStart = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                int length = i - labelStart;
                if (length < 1 || length > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else {
                char c = s.charAt(i);
                if (!isAsciiLetterOrDigit(c) && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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
