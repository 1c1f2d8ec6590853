package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void shouldReplaceTerminalEscapesAndKeepOrdinaryText() {
        assertThat(Terminal.clean("550 \u001b[2J\u001b]0;pwned\u0007 no such user")).isEqualTo("550 ?[2J?]0;pwned? no such user");
        assertThat(Terminal.clean("line\r\nbreak\ttab")).isEqualTo("line  break tab");
        assertThat(Terminal.clean("\u009b31m and \u202eevil")).isEqualTo("?31m and ?evil");
        assertThat(Terminal.clean("Grüße, 日本")).isEqualTo("Grüße, 日本");
        assertThat(Terminal.clean(null)).isEqualTo("-");
        assertThat(Terminal.cut("abcdefghij", 6)).isEqualTo("abc...");
    }

    @Test
    void shouldReadDurationsAndPointsInTime() {
        assertThat(DurationConverter.parse("15")).hasSeconds(15);
        assertThat(DurationConverter.parse("500ms")).hasMillis(500);
        assertThat(DurationConverter.parse("2m")).hasMinutes(2);
        assertThat(new SinceConverter().convert("2026-11-30")).isEqualTo("2026-11-30T00:00:00Z");
        assertThat(new SinceConverter().convert("2026-11-30T10:00:00Z")).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(new SinceConverter().convert("2h")).isBefore(java.time.Instant.now().minusSeconds(7199));
    }
}
