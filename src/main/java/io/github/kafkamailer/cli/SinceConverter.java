package io.github.kafkamailer.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** A point in time: an ISO instant ({@code 2026-11-30T10:00:00Z}), a date ({@code 2026-11-30}, UTC), or an age ({@code 2h}: two hours ago). */
final class SinceConverter implements CommandLine.ITypeConverter<Instant> {
    static Clock clock = Clock.systemUTC();

    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                try {
                    return clock.instant().minus(DurationConverter.parse(value));
                } catch (CommandLine.TypeConversionException notAnAge) {
                    throw new CommandLine.TypeConversionException("'" + value
                            + "' is neither an instant (2026-11-30T10:00:00Z), a date (2026-11-30) nor an age (2h, 7d)");
                }
            }
        }
    }
}
