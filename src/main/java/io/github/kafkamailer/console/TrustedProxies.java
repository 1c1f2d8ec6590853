package io.github.kafkamailer.console;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-*} headers the console believes ({@code mailer.http.trusted.proxies}):
 * addresses or CIDR blocks, IPv4 and IPv6. A request whose TCP peer is not one of them is taken at its word only
 * for what TCP proves: its own address. Parsing never asks DNS: only address literals are accepted.
 */
public final class TrustedProxies {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** One address block: the first {@code bits} bits of {@code network}. */
    private record Block(byte[] network, int bits) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (b[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
            } catch (UnknownHostException e) {
                return Arrays.toString(network) + "/" + bits;
            }
        }
    }

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** No proxy is trusted: every forwarded header is ignored (the default). */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses a comma-separated list of addresses ({@code 10.0.0.5}, {@code ::1}) and CIDR blocks
     * ({@code 10.0.0.0/8}, {@code fd00::/8}); blanks are skipped.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static TrustedProxies parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<Block> blocks = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (!entry.isEmpty()) {
                blocks.add(block(entry));
            }
        }
        return new TrustedProxies(blocks);
    }

    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress a = literal(address).orElseThrow(() -> new IllegalArgumentException(
                "'" + entry + "' is neither an IP address nor a CIDR block (such as 10.0.0.0/8 or fd00::/8)"));
        int max = a.getAddress().length * 8;
        int bits = max;
        if (slash >= 0) {
            String prefix = entry.substring(slash + 1);
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
                throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + max);
            }
            bits = Integer.parseInt(prefix);
        }
        return new Block(a.getAddress(), bits);
    }

    /**
     * An IPv4 or IPv6 address literal, never looked up in DNS. IPv6 may come in brackets and, like IPv4, with a
     * port ({@code [::1]:443}, {@code 10.0.0.5:443}), as some proxies write them; a zone id is refused.
     */
    static Optional<InetAddress> literal(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !(close == s.length() - 1 || s.substring(close + 1).matches(":\\d{1,5}"))) {
                return Optional.empty();
            }
            s = s.substring(1, close);
            return s.contains(":") ? v6(s) : Optional.empty();
        }
        if (s.contains(":") && s.indexOf(':') == s.lastIndexOf(':')) {
            // IPv4 with a port
            String port = s.substring(s.indexOf(':') + 1);
            s = s.substring(0, s.indexOf(':'));
            if (!port.matches("\\d{1,5}")) {
                return Optional.empty();
            }
        }
        if (IPV4.matcher(s).matches()) {
            try {
                return Optional.of(InetAddress.getByName(s));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return s.contains(":") ? v6(s) : Optional.empty();
    }

    private static Optional<InetAddress> v6(String s) {
        if (!IPV6_CHARS.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            // In brackets the JDK parses a literal or fails; it never falls back to a name lookup.
            return Optional.of(InetAddress.getByName("[" + s + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether {@code peer} is one of the trusted proxies. An IPv4-mapped IPv6 address counts as its IPv4 one. */
    public boolean trusts(InetAddress peer) {
        InetAddress a = unmapped(peer);
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client a request comes from. From an untrusted peer, the peer itself, whatever its headers say. From a
     * trusted proxy, the right-most address of {@code X-Forwarded-For} that is not itself a trusted proxy
     * (each proxy appends the address it saw, so everything left of that one could be made up by the client);
     * the left-most when all are trusted; the peer when the header is absent or that address is not an address.
     *
     * @param forwardedFor every {@code X-Forwarded-For} header of the request, in order (may be null)
     */
    public InetAddress client(InetAddress peer, List<String> forwardedFor) {
        if (forwardedFor == null || forwardedFor.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        InetAddress leftMost = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return peer;
            }
            InetAddress a = unmapped(hop.get());
            if (!trusts(a)) {
                return a;
            }
            leftMost = a;
        }
        return leftMost;
    }

    private static InetAddress unmapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return a;
                }
            }
            if (b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) {
                try {
                    return Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "none" : blocks.toString();
    }
}
