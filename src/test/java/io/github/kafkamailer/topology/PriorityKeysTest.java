package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.Priority;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A HIGH email's key and entry: its own range ahead of the tenant's normal ones, and its priority kept in the store. */
class PriorityKeysTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void shouldSortATenantsHighEmailsAheadOfItsNormalOnesWhateverTheirDueTime() {
        String normalEarly = PendingKeys.of("t", T0, "n1", Priority.NORMAL);
        String highLate = PendingKeys.of("t", T0.plusSeconds(3600), "h2", Priority.HIGH);
        String highEarly = PendingKeys.of("t", T0, "h1", Priority.HIGH);
        TreeSet<String> keys = new TreeSet<>(KeyFloor::compare);
        keys.addAll(List.of(normalEarly, highLate, highEarly, PendingKeys.of("u", T0, "x", Priority.HIGH)));

        assertThat(keys.headSet(PendingKeys.tenantEnd("t"))).containsExactly(highEarly, highLate, normalEarly);
        assertThat(KeyFloor.compare(highLate, PendingKeys.normalStart("t"))).isNegative();
        assertThat(KeyFloor.compare(PendingKeys.normalStart("t"), normalEarly)).isNegative();
        assertThat(KeyFloor.compare(highEarly, PendingKeys.highDueEnd("t", T0))).isNegative();
        assertThat(KeyFloor.compare(highLate, PendingKeys.highDueEnd("t", T0))).isPositive();
        assertThat(PendingKeys.isHigh(highEarly)).isTrue();
        assertThat(PendingKeys.isHigh(normalEarly)).isFalse();
        assertThat(PendingKeys.tenantOf(highEarly)).isEqualTo("t");
        assertThat(normalEarly).isEqualTo(PendingKeys.of("t", T0, "n1"));
    }

    @Test
    void shouldKeepAHighEmailsPriorityInTheStoreAndANormalEntryByteForByteAsBefore() {
        PendingEmail normal = new PendingEmail("t", "e", "{}".getBytes(), "mail.outbox/0/1", T0, 1, T0, T0,
                List.of("a@example.com"));
        PendingEmail high = normal.withPriority(Priority.HIGH);

        assertThat(PendingEmailSerde.read(PendingEmailSerde.write(high)).priority()).isEqualTo(Priority.HIGH);
        assertThat(PendingEmailSerde.read(PendingEmailSerde.write(normal)).priority()).isEqualTo(Priority.NORMAL);
        byte[] n = PendingEmailSerde.write(normal);
        assertThat(PendingEmailSerde.write(high)).hasSize(n.length + 1).startsWith(n);
        assertThat(high.withAttempt(T0, T0.plusSeconds(20)).priority()).isEqualTo(Priority.HIGH);
        assertThat(high.withOnlyRecipients(List.of("b@example.com")).priority()).isEqualTo(Priority.HIGH);
    }
}
