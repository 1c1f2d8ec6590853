package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.transport.SendOutcome;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class HandoverTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
    private static final SendJob JOB = new SendJob("default\u0000k\u0000e1", "e1", new byte[0], AT, null);

    private static Handover roundTrip(Handover h) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Handover.HEADER, h.write());
        return Handover.carriedBy(headers);
    }

    @Test
    void shouldCarryAPartialDeliveryWithWhomTheServerTookAndDeferred() {
        SendOutcome.Delivered d = new SendOutcome.Delivered(TransportKind.SMTP, AT, List.of("gone@example.com"),
                List.of("later@example.com"), "452 4.2.2 mailbox full");
        Handover h = roundTrip(Handover.of(JOB.storeKey(), "incarnation-1", new SendResult(JOB, null, d)));

        assertThat(h.kind()).isEqualTo(Handover.Kind.SENT);
        assertThat(h.pendingKey()).isEqualTo(JOB.storeKey());
        assertThat(h.by()).isEqualTo("incarnation-1");
        assertThat(h.outcome()).isEqualTo(d);
    }

    @Test
    void shouldCarryTheSuppressedRecipientsAndReadAHandoverWrittenWithoutThem() {
        SendJob job = new SendJob("k", "e1", new byte[0], AT, List.of("b@example.com"), List.of("gone@example.com"));
        SendOutcome.Delivered d = new SendOutcome.Delivered(TransportKind.SMTP, AT, List.of());
        Handover h = roundTrip(Handover.of("k", "i", new SendResult(job, null, d)));
        assertThat(h.suppressed()).containsExactly("gone@example.com");
        assertThat(h.outcome()).isEqualTo(d);

        // Without suppressed recipients the bytes are what an older mailer wrote, and read back with none.
        Handover none = Handover.of("k", "i", new SendResult(JOB, null, d));
        assertThat(none.write()).isEqualTo(new Handover("k", "i", Handover.Kind.SENT, TransportKind.SMTP, AT,
                List.of(), List.of(), null).write());
        assertThat(roundTrip(none).suppressed()).isEmpty();
    }

    @Test
    void shouldCarryADraftAndSayNotSentForAFailureOrAJobNeverAttempted() {
        SendOutcome.Drafted drafted = new SendOutcome.Drafted(TransportKind.GRAPH, AT);
        assertThat(roundTrip(Handover.of("k", "i", new SendResult(JOB, null, drafted))).outcome()).isEqualTo(drafted);

        Handover failed = roundTrip(Handover.of("k", "i", new SendResult(JOB, null,
                new SendOutcome.Failed(TransportKind.SMTP, FailureClass.PERMANENT, "550 no", false))));
        assertThat(failed.kind()).isEqualTo(Handover.Kind.NOT_SENT);
        assertThat(failed.outcome()).isNull();
        assertThat(roundTrip(Handover.of("k", "i", SendResult.notAttempted(JOB))).kind())
                .isEqualTo(Handover.Kind.NOT_SENT);
    }

    @Test
    void shouldTellAnEmailFromAHandoverAndRefuseBytesItCantRead() {
        assertThat(Handover.carriedBy(new RecordHeaders())).isNull();
        RecordHeaders garbage = new RecordHeaders();
        garbage.add(Handover.HEADER, new byte[] {9, 1, 2});
        assertThatThrownBy(() -> Handover.carriedBy(garbage)).isInstanceOf(IllegalArgumentException.class);
    }
}
