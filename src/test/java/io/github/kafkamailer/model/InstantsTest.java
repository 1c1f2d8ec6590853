package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T10:00:00Z", "2026-11-26T10:00:00.5Z", "2026-11-26T10:00:00.123456789Z",
            "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.9Z",
            // left to Instant.parse: offsets, lower case, leap second, end of day, long years
            "2026-11-26T11:00:00+01:00", "2026-11-26t10:00:00z", "2026-06-30T23:59:60Z", "2026-11-26T24:00:00Z",
            "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-11-26T10:00:00.Z"})
    void readsWhatInstantParseReadsAsItDoes(String text) {
        assertThat(Instants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-26T10:60:00Z",
            "2026-11-26T10:00:00.1234567890Z", "2026-11-26 10:00:00Z", "2026-11-26T10:00:00",
            "2026-1a-26T10:00:00Z", "", "yesterday", "2026-11-26T10:00:0٣Z"})
    void refusesWhatInstantParseRefusesWithItsException(String text) {
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Instants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void agreesWithInstantParseOnRandomInstantsOfEveryPrecision() {
        Random random = new Random(8);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            String text = instant.toString();
            assertThat(Instants.fastPath(text)).as(text).isEqualTo(instant);
            assertThat(Instants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }
}
