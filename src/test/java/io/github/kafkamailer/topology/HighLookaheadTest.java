package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The look-ahead's cheap filter: a record is parsed only when its bytes hold {@code HIGH}. It may let through what
 * is no HIGH email (the intake's rule decides then), never hold back one a producer wrote plainly.
 */
class HighLookaheadTest {

    private static boolean mayBeHigh(String s) {
        return HighLookahead.mayBeHigh(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldLetThroughEveryValueHoldingTheBytesOfHigh() {
        assertThat(mayBeHigh("HIGH")).isTrue();
        assertThat(mayBeHigh("HIGH at the start")).isTrue();
        assertThat(mayBeHigh("at the end: HIGH")).isTrue();
        // A partial match just before the real one.
        assertThat(mayBeHigh("HHIGH")).isTrue();
        assertThat(mayBeHigh("HIGHIGH")).isTrue();
        assertThat(mayBeHigh(TopologyFixture.email("a", "acme").replace("\"text\":\"Hi\"",
                "\"text\":\"Hi\",\"priority\":\"HIGH\""))).isTrue();
        // Not a HIGH email (NORMAL, the word in its subject): the intake's rule sorts it out.
        assertThat(mayBeHigh(TopologyFixture.email("a", "acme").replace("Hello", "HIGH"))).isTrue();
    }

    @Test
    void shouldPassOverValuesWithoutTheBytesOfHigh() {
        assertThat(HighLookahead.mayBeHigh(null)).isFalse();
        assertThat(HighLookahead.mayBeHigh(new byte[0])).isFalse();
        assertThat(mayBeHigh("HIG")).isFalse();
        assertThat(mayBeHigh("IGH")).isFalse();
        assertThat(mayBeHigh("HIG H")).isFalse();
        assertThat(mayBeHigh("high")).isFalse();
        assertThat(mayBeHigh(TopologyFixture.email("a", "acme"))).isFalse();
        assertThat(mayBeHigh(TopologyFixture.email("a", "acme").replace("\"text\":\"Hi\"",
                "\"text\":\"Hi\",\"priority\":\"NORMAL\""))).isFalse();
        // Escaped letters: the look-ahead passes it over, the intake still takes it in as HIGH (only later).
        assertThat(mayBeHigh("{\"priority\":\"\\u0048IGH\"}")).isFalse();
    }
}
