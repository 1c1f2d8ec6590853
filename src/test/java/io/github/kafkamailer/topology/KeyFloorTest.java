package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyFloorTest {

    @Test
    void comparesAsTheStoresDoByUtf8Bytes() {
        List<String> keys = List.of("", "a", "a\u0000", "a\u0001", "b", "\u00e9", "\uffff", "\uD83D\uDE00", "z\uE000",
                "z\uD83D\uDE00", "tenant\u0000000000000000001\u0000id");
        for (String a : keys) {
            for (String b : keys) {
                int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
                assertThat(Integer.signum(KeyFloor.compare(a, b))).as(a + " vs " + b).isEqualTo(Integer.signum(bytes));
            }
        }
        // Where String.compareTo gets it wrong: U+E000 is before U+1F600 in UTF-8, after it in UTF-16.
        assertThat("\uE000".compareTo("\uD83D\uDE00")).isPositive();
        assertThat(KeyFloor.compare("\uE000", "\uD83D\uDE00")).isNegative();
    }

    @Test
    void movesUpOnReadsAndBackOnWritesBeforeIt() {
        KeyFloor floor = new KeyFloor("t\u0000");
        floor.nothingBefore("t\u0000005");
        assertThat(floor.get()).isEqualTo("t\u0000005");
        floor.nothingBefore("t\u0000003");
        assertThat(floor.get()).as("a read never moves it back").isEqualTo("t\u0000005");
        floor.written("t\u0000007");
        assertThat(floor.get()).as("a write after it leaves it").isEqualTo("t\u0000005");
        floor.written("t\u0000002");
        assertThat(floor.get()).as("a write before it moves it back").isEqualTo("t\u0000002");
    }
}
