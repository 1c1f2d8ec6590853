package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which peers are trusted proxies, and which client a request comes from through them. */
class TrustedProxiesTest {
    private static InetAddress ip(String literal) {
        return TrustedProxies.literal(literal).orElseThrow(() -> new AssertionError("not a literal: " + literal));
    }

    private static String client(TrustedProxies proxies, String peer, String... forwardedFor) {
        return proxies.client(ip(peer), forwardedFor.length == 0 ? null : List.of(forwardedFor)).getHostAddress();
    }

    @Test
    void shouldMatchAddressesAndCidrBlocksOfBothFamilies() {
        TrustedProxies p = TrustedProxies.parse(" 10.0.0.0/8, 192.168.1.7 ,172.16.0.0/12, fd00::/8, ::1, 2001:db8::/126");
        assertThat(p.trusts(ip("10.255.1.2"))).isTrue();
        assertThat(p.trusts(ip("11.0.0.1"))).isFalse();
        assertThat(p.trusts(ip("192.168.1.7"))).isTrue();
        assertThat(p.trusts(ip("192.168.1.8"))).isFalse();
        assertThat(p.trusts(ip("172.31.255.255"))).isTrue();
        assertThat(p.trusts(ip("172.32.0.0"))).isFalse();
        assertThat(p.trusts(ip("fd12:3456::1"))).isTrue();
        assertThat(p.trusts(ip("fe80::1"))).isFalse();
        assertThat(p.trusts(ip("::1"))).isTrue();
        assertThat(p.trusts(ip("2001:db8::3"))).isTrue();
        assertThat(p.trusts(ip("2001:db8::4"))).isFalse();
        assertThat(p.trusts(ip("::ffff:10.1.1.1"))).as("IPv4-mapped IPv6").isTrue();
        assertThat(p.trusts(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void shouldMatchOddPrefixLengthsAndTheWholeSpace() {
        TrustedProxies p = TrustedProxies.parse("198.51.100.64/27");
        assertThat(p.trusts(ip("198.51.100.64"))).isTrue();
        assertThat(p.trusts(ip("198.51.100.95"))).isTrue();
        assertThat(p.trusts(ip("198.51.100.96"))).isFalse();
        assertThat(p.trusts(ip("198.51.100.63"))).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").trusts(ip("203.0.113.9"))).isTrue();
        assertThat(TrustedProxies.parse("0.0.0.0/0").trusts(ip("2001:db8::1"))).as("IPv4 only").isFalse();
        assertThat(TrustedProxies.parse("").isEmpty()).isTrue();
        assertThat(TrustedProxies.parse(null).trusts(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void shouldRefuseEntriesThatAreNotAddressesNamingThem() {
        for (String bad : List.of("proxy.example.com", "10.0.0.0/33", "::1/129", "10.0.0/8", "256.1.1.1", "10.0.0.1/",
                "10.0.0.1/-1", "fe80::1%eth0", "1.2.3.4/8/8", "10.0.0.0/08x")) {
            assertThatThrownBy(() -> TrustedProxies.parse("127.0.0.1, " + bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void shouldNeverAskDnsForALiteral() {
        assertThat(TrustedProxies.literal("localhost")).isEmpty();
        assertThat(TrustedProxies.literal("abc:def:zz")).isEmpty();
        assertThat(TrustedProxies.literal("cafe")).isEmpty();
        assertThat(TrustedProxies.literal("[::1]:8443")).hasValueSatisfying(a -> assertThat(a.getHostAddress())
                .isEqualTo("0:0:0:0:0:0:0:1"));
        assertThat(TrustedProxies.literal("203.0.113.7:51000")).hasValueSatisfying(a -> assertThat(a.getHostAddress())
                .isEqualTo("203.0.113.7"));
    }

    @Test
    void shouldTakeTheRightMostUntrustedAddressOfTheChain() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
        assertThat(client(p, "10.0.0.2", "203.0.113.7")).isEqualTo("203.0.113.7");
        // The client wrote the first entry itself; the edge proxy appended what it saw, the inner proxy its peer.
        assertThat(client(p, "10.0.0.2", "198.51.100.1, 203.0.113.7, 10.0.0.1")).isEqualTo("203.0.113.7");
        assertThat(client(p, "10.0.0.2", "198.51.100.1", "203.0.113.7,10.0.0.1")).as("over two headers")
                .isEqualTo("203.0.113.7");
        assertThat(client(p, "10.0.0.2", "10.0.0.9, 10.0.0.1")).as("all trusted: the first").isEqualTo("10.0.0.9");
        assertThat(client(p, "10.0.0.2", "2001:db8::7, 10.0.0.1")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(client(p, "10.0.0.2", "[2001:db8::7]:4711")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(client(p, "10.0.0.2")).as("no header: the proxy").isEqualTo("10.0.0.2");
    }

    @Test
    void shouldFallBackToThePeerWhenTheNamedClientIsGarbage() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
        assertThat(client(p, "10.0.0.2", "unknown")).isEqualTo("10.0.0.2");
        assertThat(client(p, "10.0.0.2", "")).isEqualTo("10.0.0.2");
        assertThat(client(p, "10.0.0.2", "203.0.113.7, not-an-ip")).isEqualTo("10.0.0.2");
        assertThat(client(p, "10.0.0.2", "203.0.113.7,,10.0.0.1")).isEqualTo("10.0.0.2");
        // Garbage left of the client is the client's own business.
        assertThat(client(p, "10.0.0.2", "<script>, 203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void shouldIgnoreForwardedForFromAnUntrustedPeer() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
        assertThat(client(p, "203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
        assertThat(client(p, "203.0.113.7", "10.0.0.1")).isEqualTo("203.0.113.7");
        assertThat(client(TrustedProxies.none(), "127.0.0.1", "198.51.100.1")).isEqualTo("127.0.0.1");
    }
}
