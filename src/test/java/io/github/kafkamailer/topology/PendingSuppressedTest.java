package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.Priority;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recipients an earlier attempt left out as suppressed, kept in a pending entry for the retry of the deferred
 * ones: after the priority byte, where an older mailer stops reading; an entry without them unchanged.
 */
class PendingSuppressedTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final PendingEmail RETRY = new PendingEmail("t", "e", "{}".getBytes(), "mail.outbox/0/1", T0, 1,
            T0, T0, List.of("carol@example.com"));

    @Test
    void shouldKeepTheSuppressedRecipientsOfANormalAndAHighEmail() {
        PendingEmail normal = RETRY.withSuppressed(List.of("bob@example.com", "eve@example.com"));
        PendingEmail high = normal.withPriority(Priority.HIGH);

        PendingEmail readNormal = PendingEmailSerde.read(PendingEmailSerde.write(normal));
        assertThat(readNormal.suppressed()).containsExactly("bob@example.com", "eve@example.com");
        assertThat(readNormal.priority()).isEqualTo(Priority.NORMAL);
        assertThat(readNormal.onlyRecipients()).containsExactly("carol@example.com");
        PendingEmail readHigh = PendingEmailSerde.read(PendingEmailSerde.write(high));
        assertThat(readHigh.suppressed()).containsExactly("bob@example.com", "eve@example.com");
        assertThat(readHigh.priority()).isEqualTo(Priority.HIGH);
        // Carried through the next attempt and a narrower retry.
        assertThat(normal.withAttempt(T0, T0.plusSeconds(20)).withOnlyRecipients(List.of("x@example.com"))
                .suppressed()).containsExactly("bob@example.com", "eve@example.com");
    }

    @Test
    void shouldWriteAnEntryWithoutSuppressedRecipientsAsBefore() {
        byte[] before = PendingEmailSerde.write(RETRY);

        assertThat(PendingEmailSerde.write(RETRY.withSuppressed(List.of()))).isEqualTo(before);
        assertThat(PendingEmailSerde.read(before).suppressed()).isEmpty();
        // An older mailer reads the priority byte and stops: a suppressed list after it changes nothing for it.
        assertThat(PendingEmailSerde.write(RETRY.withSuppressed(List.of("bob@example.com")))).startsWith(before);
    }
}
