package io.github.kafkamailer.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    private static final String FROM = "Billing <billing@company.example>";

    @Test
    void shouldGiveTheSameIdInTwoTenantsTwoMessageIdsOnOneDomain() {
        assertThat(MessageIds.of("acme", "inv-1", FROM)).isNotEqualTo(MessageIds.of("beta", "inv-1", FROM));
        assertThat(MessageIds.of("acme", "inv-1", FROM)).isNotEqualTo(MessageIds.of("default", "inv-1", FROM));
        assertThat(MessageIds.of("acme corp", "inv 1", FROM)).isNotEqualTo(MessageIds.of("beta corp", "inv 1", FROM));
    }

    @Test
    void shouldGiveAResentEmailTheSameMessageId() {
        assertThat(MessageIds.of("acme", "inv-1", FROM)).isEqualTo(MessageIds.of("acme", "inv-1", FROM));
        assertThat(MessageIds.of("acme corp", "inv 1", FROM)).isEqualTo(MessageIds.of("acme corp", "inv 1", FROM));
    }

    @Test
    void shouldKeepTheMessageIdsOfTenantDefaultAsTheyWereBeforeTenantsCounted() {
        // What 0.2.0 wrote (the id alone): emails of `default` sent before the upgrade keep matching a resend.
        assertThat(MessageIds.of("default", "inv-2026-0042", FROM)).isEqualTo("<inv-2026-0042@company.example>");
        assertThat(MessageIds.of(null, "inv-2026-0042", FROM)).isEqualTo("<inv-2026-0042@company.example>");
        assertThat(MessageIds.of("", "inv-2026-0042", FROM)).isEqualTo("<inv-2026-0042@company.example>");
        // An unsafe id: the first 40 hex digits of SHA-256("a b"), as before.
        assertThat(MessageIds.of("default", "a b", FROM)).isEqualTo("<hc8687a08aa5d6ed2044328fa6a697ab8e96dc342@company.example>");
    }

    @Test
    void shouldReadOtherTenantsPairsWhenTheyAreSafeAndHashThemOtherwise() {
        assertThat(MessageIds.of("acme", "inv-1", FROM)).isEqualTo("<inv-1=acme@company.example>");
        assertThat(MessageIds.of("acme corp", "inv-1", FROM)).matches("<h~[0-9a-f]{40}@company\\.example>");
        assertThat(MessageIds.of("acme", "x".repeat(65), FROM)).matches("<h~[0-9a-f]{40}@company\\.example>");
    }

    @Test
    void shouldNeverLetTwoPairsMeet() {
        // Pairs built to collide if the parts were simply glued together.
        List<String[]> pairs = List.of(new String[] {"ab", "c d"}, new String[] {"a", "bc d"},
                new String[] {"ab c", "d"}, new String[] {"default", "inv-1=acme"}, new String[] {"acme", "inv-1"},
                new String[] {"inv-1", "acme"}, new String[] {"a=b", "c"}, new String[] {"a", "b=c"},
                new String[] {"default", "h~0"}, new String[] {"x y", "1"}, new String[] {"x", "y 1"});
        Set<String> seen = new HashSet<>();
        for (String[] p : pairs) {
            assertThat(seen.add(MessageIds.of(p[0], p[1], FROM))).as(p[0] + "/" + p[1]).isTrue();
        }
    }

    @Test
    void shouldReadBackTheTenantAndIdOfTheReadableForms() {
        assertThat(MessageIds.read(MessageIds.of("default", "inv-1", FROM)))
                .contains(new MessageIds.Origin("default", "inv-1"));
        assertThat(MessageIds.read(MessageIds.of("acme", "inv-1", FROM)))
                .contains(new MessageIds.Origin("acme", "inv-1"));
        assertThat(MessageIds.read(" " + MessageIds.of("acme.eu", "a+b_c", FROM) + " "))
                .contains(new MessageIds.Origin("acme.eu", "a+b_c"));
    }

    @Test
    void shouldReadNothingFromAHashedFormOrAForeignShape() {
        assertThat(MessageIds.read(MessageIds.of("acme corp", "inv 1", FROM))).isEmpty();
        assertThat(MessageIds.read("<a=default@x.example>")).isEmpty();
        assertThat(MessageIds.read("not-an-id")).isEmpty();
        assertThat(MessageIds.read("<@x>")).isEmpty();
        assertThat(MessageIds.read(null)).isEmpty();
    }
}
