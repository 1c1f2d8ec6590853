package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {
    /** The rules as regular expressions, as they were written first: the loops must say the same. */
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "jane.doe@example.com", "o'hara+tag@mail.example.co.uk", "x@a-b.c",
            "Jane <jane@example.com>", "\"Smith, Bob\" <bob@example.com>",
            "a@b12345678901234567890123456789012345678901234567890123456789012.com"})
    void acceptsWhatTheContractAccepts(String address) {
        assertThat(Addresses.problem(address)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "@b", "a@", ".a@b", "a.@b", "a..b@c", "a@-b.c", "a@b-.c", "a@b..c", "a@.b",
            "a@b.", "é@b", "a@bé.c", "a b@c", "a@b_c.d",
            "a@b123456789012345678901234567890123456789012345678901234567890123.com", "a\r\n@b"})
    void refusesWhatItRefuses(String address) {
        assertThat(Addresses.problem(address)).isNotNull();
    }

    @Test
    void theLoopsAgreeWithTheRegularExpressionsOnRandomAddresses() {
        String alphabet = "ab-.09_'+é@!~";
        Random random = new Random(9);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder local = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                local.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            StringBuilder domain = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                domain.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String l = local.toString().replace("@", "");
            String d = domain.toString().replace("@", "");
            boolean expected = !l.isEmpty() && !d.isEmpty() && !l.isBlank() && LOCAL.matcher(l).matches()
                    && DOMAIN.matcher(d).matches();
            String address = l + "@" + d;
            assertThat(Addresses.problem(address) == null).as(address).isEqualTo(expected);
        }
        // Label lengths around 63, which the random ones don't reach.
        for (int n = 60; n <= 66; n++) {
            String d = "a".repeat(n) + ".com";
            assertThat(Addresses.isValid("x@" + d)).as(d).isEqualTo(DOMAIN.matcher(d).matches());
        }
    }
}
