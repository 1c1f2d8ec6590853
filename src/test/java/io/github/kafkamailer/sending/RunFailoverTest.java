package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.failure.ServerFault;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.testing.TransportByHost;
import io.github.kafkamailer.transport.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which failures move a run to the fallback server, and what a run does once they did (CONTRACT.md). */
class RunFailoverTest {
    private static final SendOutcome DELIVERED = new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(), List.of());

    private static SendOutcome.Failed down(ServerFault fault) {
        return new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT, "cannot connect", true, null, fault);
    }

    // --- the classification ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = ServerFault.class, names = {"UNREACHABLE", "TLS", "BUSY", "SERVER_ERROR"})
    void shouldFailOverWhenTheServerCannotBeUsed(ServerFault fault) {
        assertThat(RunFailover.primaryUnusable(down(fault))).isTrue();
    }

    @Test
    void shouldNotFailOverWhenTheServerRefusesUsForGood() {
        assertThat(RunFailover.primaryUnusable(down(ServerFault.REFUSED)))
                .as("wrong credentials or a 5xx greeting: a config matter a second server would hide").isFalse();
    }

    @Test
    void shouldNeverFailOverForTheEmailOrARecipient() {
        assertThat(RunFailover.primaryUnusable(new SendOutcome.Failed(TransportKind.SMTP, FailureClass.PERMANENT,
                "550 5.1.1 no such user", false))).as("every recipient refused 550").isFalse();
        assertThat(RunFailover.primaryUnusable(new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT,
                "450 4.2.0 mailbox busy", false))).as("a recipient deferred 450").isFalse();
        assertThat(RunFailover.primaryUnusable(new SendOutcome.Failed(TransportKind.SMTP, FailureClass.TRANSIENT,
                "421 at DATA", false, Duration.ZERO))).as("slow down while sending").isFalse();
        assertThat(RunFailover.primaryUnusable(new SendOutcome.Delivered(TransportKind.SMTP, Instant.now(),
                List.of("x@example.com (550)"), List.of("y@example.com"), "450"))).as("partial delivery").isFalse();
        assertThat(RunFailover.primaryUnusable(new SendOutcome.Failed(TransportKind.GRAPH, FailureClass.PERMANENT,
                "HTTP 400", false))).isFalse();
        assertThat(RunFailover.primaryUnusable(DELIVERED)).isFalse();
    }

    // --- a run -----------------------------------------------------------------------------------------------

    private static MailerConfig config(boolean withFallback) {
        Map<String, Object> m = new HashMap<>(Map.of("smtpHost", "primary.example", "postmaster", "noreply@example.com"));
        if (withFallback) {
            m.put("fallbackSmtpHost", "fallback.example");
            m.put("fallbackSmtpPort", 2525);
        }
        return ConfigRules.parse(m);
    }

    private static EmailEvent email(String id) {
        return EmailEvent.builder(id).from("alice@example.com").to("bob@example.com").subject("s").text("t").build();
    }

    @Test
    void shouldSendTheFailingEmailAndTheRestOfTheRunThroughTheFallback() {
        TransportByHost t = new TransportByHost();
        t.answers.put("primary.example", e -> down(ServerFault.UNREACHABLE));
        t.answers.put("fallback.example", e -> DELIVERED);
        RunFailover run = new RunFailover("t1", config(true), t);
        RunFailover.Session lane1 = run.openSession();
        RunFailover.Session lane2 = run.openSession();

        RunFailover.Sent a = lane1.send(email("a"), null);
        RunFailover.Sent b = lane2.send(email("b"), null);
        RunFailover.Sent c = lane1.send(email("c"), null);

        assertThat(a.outcome()).isSameAs(DELIVERED);
        assertThat(a.server()).isEqualTo(StatusEvent.FALLBACK_SERVER);
        assertThat(a.startedFailover()).as("the one result that counts the run's failover").isTrue();
        assertThat(List.of(b, c)).allSatisfy(s -> {
            assertThat(s.server()).isEqualTo(StatusEvent.FALLBACK_SERVER);
            assertThat(s.startedFailover()).isFalse();
        });
        assertThat(t.sends).as("the primary tried once, then never in this run")
                .containsExactly("primary.example:a", "fallback.example:a", "fallback.example:b", "fallback.example:c");
        assertThat(run.failedOver()).isTrue();
        MailerConfig fallback = t.opened.get(t.opened.size() - 1);
        assertThat(fallback.smtpHost()).isEqualTo("fallback.example");
        assertThat(fallback.smtpPort()).isEqualTo(2525);
    }

    @Test
    void shouldTryThePrimaryAgainInTheNextRun() {
        TransportByHost t = new TransportByHost();
        t.answers.put("primary.example", e -> down(ServerFault.BUSY));
        t.answers.put("fallback.example", e -> DELIVERED);
        new RunFailover("t1", config(true), t).openSession().send(email("a"), null);
        t.answers.put("primary.example", e -> DELIVERED);

        RunFailover next = new RunFailover("t1", config(true), t);
        RunFailover.Sent b = next.openSession().send(email("b"), null);

        assertThat(b.server()).isEqualTo(StatusEvent.PRIMARY_SERVER);
        assertThat(next.failedOver()).isFalse();
        assertThat(t.sends).endsWith("primary.example:b");
    }

    @Test
    void shouldKeepTheRecipientsRefusalFromThePrimary() {
        TransportByHost t = new TransportByHost();
        SendOutcome refused = new SendOutcome.Failed(TransportKind.SMTP, FailureClass.PERMANENT, "550 no such user",
                false);
        t.answers.put("primary.example", e -> refused);
        RunFailover run = new RunFailover("t1", config(true), t);

        RunFailover.Sent a = run.openSession().send(email("a"), null);

        assertThat(a.outcome()).isSameAs(refused);
        assertThat(a.server()).isEqualTo(StatusEvent.PRIMARY_SERVER);
        assertThat(run.failedOver()).isFalse();
        assertThat(t.sends).containsExactly("primary.example:a");
    }

    @Test
    void shouldSendAsBeforeWithoutAFallback() {
        TransportByHost t = new TransportByHost();
        SendOutcome.Failed unreachable = down(ServerFault.UNREACHABLE);
        t.answers.put("primary.example", e -> unreachable);
        RunFailover run = new RunFailover("t1", config(false), t);

        RunFailover.Sent a = run.openSession().send(email("a"), null);

        assertThat(a.outcome()).isSameAs(unreachable);
        assertThat(a.server()).as("no server said without a fallback").isNull();
        assertThat(a.startedFailover()).isFalse();
        assertThat(t.opened).hasSize(1);
    }

    @Test
    void shouldLeaveDraftsToThePrimary() {
        TransportByHost t = new TransportByHost();
        SendOutcome.Failed graphDown = new SendOutcome.Failed(TransportKind.GRAPH, FailureClass.TRANSIENT,
                "HTTP 503", true, null, ServerFault.SERVER_ERROR);
        t.answers.put("primary.example", e -> graphDown);
        RunFailover run = new RunFailover("t1", config(true), t);
        EmailEvent draft = EmailEvent.builder("d").from("alice@example.com").to("bob@example.com").subject("s")
                .text("t").mode(Mode.DRAFT).build();

        RunFailover.Sent d = run.openSession().send(draft, null);

        assertThat(d.outcome()).isSameAs(graphDown);
        assertThat(d.server()).isNull();
        assertThat(run.failedOver()).as("a fallback SMTP server can't make drafts").isFalse();
    }
}
