package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.sending.TenantRun;
import io.github.kafkamailer.sending.TenantSender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run owns its emails in flight: one call hands out, one call takes back, and every count moves with it. */
class TenantSendingTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final SendingGate gate = new SendingGate();
    private final SortedTestStore<byte[]> markerStore = new SortedTestStore<>();
    private final InFlightMarkers markers = new InFlightMarkers(markerStore.store(), T0, Duration.ofSeconds(30));
    private final SortedTestStore<byte[]> rateStore = new SortedTestStore<>();
    private final SavedRateWindows rateWindows = new SavedRateWindows(rateStore.store());
    private final List<SendJob> submitted = new ArrayList<>();

    private TenantSending started(String extraConfig) {
        MailerConfig config = ConfigJson.parse(("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"postmaster\":"
                + "\"n@example.com\"" + extraConfig + "}").getBytes(StandardCharsets.UTF_8));
        TenantRun run = new TenantRun("t");
        run.useConfig(config, T0);
        run.start(T0, new TenantSender() {
            @Override
            public void submit(List<SendJob> jobs) {
                submitted.addAll(jobs);
            }

            @Override
            public void halt() {
            }

            @Override
            public void finish() {
            }
        }, PendingKeys.tenantStart("t"));
        return new TenantSending(run, gate, markers, rateWindows);
    }

    private static PendingEmail email(String id) {
        return new PendingEmail("t", id, new byte[100], "s", T0, 0, null, T0);
    }

    private static SendJob job(PendingEmail p) {
        return new SendJob(PendingKeys.of("t", p.dueAt(), p.emailId()), p.emailId(), p.value(), p.acceptedAt(), null);
    }

    @Test
    void shouldCountAHandOutEverywhereInOneCallAndReleaseItEverywhereInOne() {
        TenantSending s = started(",\"maxEmailsPerMinute\":10");
        PendingEmail a = email("a");
        PendingEmail b = email("b");
        List<SendJob> jobs = List.of(job(a), job(b));
        long bytes = jobs.get(0).bytes() + jobs.get(1).bytes();
        assertThat(rateWindows.save(List.of("t"), t -> s.run(), T0)).as("nothing to save yet").isFalse();

        assertThat(s.handOut(jobs, List.of(a, b), bytes, T0)).isTrue();
        assertThat(submitted).containsExactlyElementsOf(jobs);
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(s.run().inFlight()).isEqualTo(2);
        assertThat(s.inFlightCount()).isEqualTo(2);
        assertThat(s.isInFlight("a")).isTrue();
        assertThat(s.holds(jobs.get(1).storeKey())).isTrue();
        assertThat(markerStore.map).containsOnlyKeys(jobs.get(0).storeKey(), jobs.get(1).storeKey());
        assertThat(s.room(T0, 200, 1)).as("the rate window counts them").isEqualTo(8);
        assertThat(rateWindows.save(List.of("t"), t -> s.run(), T0)).as("its window is to be saved").isTrue();

        assertThat(s.returned(SendResult.notAttempted(jobs.get(0)), T0, 1)).isSameAs(a);
        assertThat(gate.inFlight()).isEqualTo(1);
        assertThat(s.run().inFlight()).isEqualTo(1);
        assertThat(s.isInFlight("a")).isFalse();
        assertThat(s.holds(jobs.get(0).storeKey())).isFalse();
        assertThat(markerStore.map).containsOnlyKeys(jobs.get(1).storeKey());
        assertThat(s.room(T0, 200, 1)).as("recorded in this tick: not committed yet, still counted").isEqualTo(8);
        assertThat(s.room(T0, 200, 2)).as("the next tick").isEqualTo(9);
    }

    @Test
    void shouldDoNothingWhenTheGateRefuses() {
        TenantSending s = started("");
        PendingEmail a = email("a");
        gate.beginDrain();

        assertThat(s.handOut(List.of(job(a)), List.of(a), 1000, T0)).isFalse();
        assertThat(submitted).isEmpty();
        assertThat(gate.inFlight()).isZero();
        assertThat(s.run().inFlight()).isZero();
        assertThat(s.isInFlight("a")).isFalse();
        assertThat(markerStore.map).isEmpty();
    }

    @Test
    void shouldSettleAtCloseWithoutRecordingAndKeepTheMarkerForTheNextOwner() {
        TenantSending s = started("");
        PendingEmail a = email("a");
        SendJob j = job(a);
        s.handOut(List.of(j), List.of(a), j.bytes(), T0);
        s.run().halt(T0, null);

        assertThat(s.settle(SendResult.notAttempted(j), T0)).isSameAs(a);
        assertThat(gate.inFlight()).isZero();
        assertThat(s.run().inFlight()).isZero();
        assertThat(s.inFlightCount()).isZero();
        assertThat(s.run().canEnd()).isTrue();
        assertThat(markerStore.map).as("the revocation's commit carried it").containsOnlyKeys(j.storeKey());
        assertThat(s.room(T0, 200, 1)).isZero();
    }
}
