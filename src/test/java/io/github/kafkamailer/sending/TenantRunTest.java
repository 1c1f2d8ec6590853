package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.MailerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TenantRunTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static MailerConfig config(String extra) {
        return ConfigJson.parse(("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"postmaster\":\"n@example.com\","
                + "\"campaignIntervalSeconds\":20" + extra + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** A sender that only remembers what it was told. */
    private static final class Recording implements TenantSender {
        final List<SendJob> submitted = new ArrayList<>();
        boolean halted;
        boolean finished;

        @Override
        public void submit(List<SendJob> jobs) {
            submitted.addAll(jobs);
        }

        @Override
        public void halt() {
            halted = true;
        }

        @Override
        public void finish() {
            finished = true;
        }
    }

    private static SendJob job(String id) {
        return new SendJob("k-" + id, id, new byte[100], T0, null);
    }

    @Test
    void shouldLeaveTheIntervalAsItWasForARunOfHighEmailsAloneUntilItWidens() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        run.start(T0, new Recording(), "t\u0000");
        run.nothingMoreDue(T0.plusSeconds(1));
        run.end();
        assertThat(run.nextStartAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(run.nextHighStartAt()).isBefore(T0.plusSeconds(2));

        run.startForHigh(T0.plusSeconds(5), new Recording());

        assertThat(run.highOnly()).isTrue();
        assertThat(run.state()).isEqualTo(TenantRun.State.SENDING);
        assertThat(run.nextStartAt()).as("the normal emails keep their interval").isEqualTo(T0.plusSeconds(20));
        run.widen(T0.plusSeconds(20), "t\u00000");
        assertThat(run.highOnly()).isFalse();
        assertThat(run.cursor()).isEqualTo("t\u00000");
        assertThat(run.nextStartAt()).isEqualTo(T0.plusSeconds(40));
        assertThatThrownBy(() -> run.widen(T0.plusSeconds(21), "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldGoThroughItsStatesInOrder() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        assertThat(run.dueToStart(T0)).isTrue();
        Recording sender = new Recording();
        run.start(T0, sender, "t\u0000");
        assertThat(run.state()).isEqualTo(TenantRun.State.SENDING);
        run.handOut(List.of(job("a"), job("b")));
        assertThat(run.inFlight()).isEqualTo(2);
        assertThat(run.inFlightBytes()).isEqualTo(2 * (100 + 256));
        run.returned(SendResult.notAttempted(job("a")), T0);
        run.returned(SendResult.notAttempted(job("b")), T0);
        run.exhaust();
        assertThat(run.canEnd()).isTrue();
        run.end();
        assertThat(run.state()).isEqualTo(TenantRun.State.IDLE);
        assertThat(sender.finished).isTrue();
        assertThat(run.dueToStart(T0.plusSeconds(19))).as("one interval after the last start").isFalse();
        assertThat(run.dueToStart(T0.plusSeconds(20))).isTrue();
    }

    @Test
    void shouldRefuseATransitionFromTheWrongState() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        assertThatThrownBy(run::exhaust).isInstanceOf(IllegalStateException.class).hasMessageContaining("IDLE");
        assertThatThrownBy(run::end).isInstanceOf(IllegalStateException.class);
        run.start(T0, new Recording(), "t\u0000");
        assertThatThrownBy(() -> run.start(T0, new Recording(), "t\u0000")).isInstanceOf(IllegalStateException.class);
        run.handOut(List.of(job("a")));
        run.exhaust();
        assertThat(run.canEnd()).isFalse();
        assertThatThrownBy(run::end).as("an email is still in flight").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldBoundItsRoomByTheRateLimit() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(",\"maxEmailsPerMinute\":3"), T0);
        run.start(T0, new Recording(), "t\u0000");
        assertThat(run.room(T0, 200)).isEqualTo(3);
        run.handOut(List.of(job("a"), job("b")));
        assertThat(run.room(T0, 200)).isEqualTo(1);
        assertThat(run.room(T0, 2)).as("the in-flight bound too").isZero();
    }

    @Test
    void shouldWaitOutASlowDownBeforeTheNextRun() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        Recording sender = new Recording();
        run.start(T0, sender, "t\u0000");
        run.halt(T0, Duration.ofSeconds(120));
        assertThat(sender.halted).isTrue();
        assertThat(run.state()).isEqualTo(TenantRun.State.DRAINING);
        run.end();
        assertThat(run.dueToStart(T0.plusSeconds(20))).as("the interval alone is not enough").isFalse();
        assertThat(run.dueToStart(T0.plusSeconds(120))).isTrue();
    }

    @Test
    void shouldNotStartWhileDisabled() {
        TenantRun run = new TenantRun("t");
        run.useConfig(ConfigJson.parse("{\"enabled\":false,\"smtpHost\":\"h\",\"postmaster\":\"n@example.com\"}"
                .getBytes(StandardCharsets.UTF_8)), T0);
        assertThat(run.dueToStart(T0)).isFalse();
    }

    @Test
    void shouldGoOnUnderANewConfigOfTheSameServerAndHaltForAnotherServerADisableOrARemoval() {
        TenantRun run = new TenantRun("t");
        MailerConfig first = config("");
        run.useConfig(first, T0);
        Recording sender = new Recording();
        run.start(T0, sender, "t\u0000");

        MailerConfig slower = config(",\"retentionDays\":3,\"maxEmailsPerMinute\":5");
        assertThat(run.configChanged(slower, T0)).isFalse();
        assertThat(run.state()).isEqualTo(TenantRun.State.SENDING);
        assertThat(run.config()).as("the run keeps what it started with").isSameAs(first);
        assertThat(run.rate().perMinute()).as("a rate limit applies at once").isEqualTo(5);

        for (String other : List.of(",\"smtpPort\":2525", ",\"startTls\":true", ",\"smtpUser\":\"u\",\"smtpPassword\":\"p\"",
                "enabled: false")) {
            TenantRun r = new TenantRun("t");
            r.useConfig(first, T0);
            Recording s = new Recording();
            r.start(T0, s, "t\u0000");
            MailerConfig next = other.contains("enabled") ? ConfigJson.parse(("{\"enabled\":false,\"smtpHost\":"
                    + "\"127.0.0.1\",\"postmaster\":\"n@example.com\"}").getBytes(StandardCharsets.UTF_8)) : config(other);
            assertThat(r.configChanged(next, T0)).as(other).isTrue();
            assertThat(s.halted).isTrue();
            r.end();
            assertThat(r.config()).isEqualTo(next);
        }

        run.exhaust();
        run.end();
        assertThat(run.config()).as("the next run uses the new version").isEqualTo(slower);
        assertThat(run.configChanged(null, T0)).isFalse();
        assertThat(run.nextStartAt()).as("no config, no run").isNull();
    }

    /** The DEBUG lines of TenantRun while {@code body} runs. */
    private static List<String> transitionsLogged(Runnable body) {
        Logger logger = (Logger) LoggerFactory.getLogger(TenantRun.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.DEBUG);
        try {
            body.run();
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(before);
        }
        return logged.list.stream().filter(e -> e.getLevel() == Level.DEBUG).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void shouldLogEachTransitionAtDebugWithTenantFromToAndWhy() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        List<String> lines = transitionsLogged(() -> {
            run.start(T0, new Recording(), "t\u0000");
            run.exhaust();
            run.end();
            run.start(T0.plusSeconds(20), new Recording(), "t\u0000");
            run.halt(T0.plusSeconds(20), Duration.ofSeconds(60));
            run.end();
        });
        assertThat(lines).containsExactly(
                "Tenant 't': run IDLE -> SENDING (start)",
                "Tenant 't': run SENDING -> DRAINING (nothing more due)",
                "Tenant 't': run DRAINING -> IDLE (run ended)",
                "Tenant 't': run IDLE -> SENDING (start)",
                "Tenant 't': run SENDING -> DRAINING (halt, next run not before 2026-12-01T10:01:20Z)",
                "Tenant 't': run DRAINING -> BACKING_OFF (run ended, next run not before 2026-12-01T10:01:20Z)");
    }

    @Test
    void shouldRefuseToStartWhileSendingOrDraining() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        run.start(T0, new Recording(), "t\u0000");
        assertThatThrownBy(() -> run.start(T0, new Recording(), "t\u0000")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'t'").hasMessageContaining("SENDING");
        run.exhaust();
        assertThatThrownBy(() -> run.start(T0, new Recording(), "t\u0000")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DRAINING");
        assertThatThrownBy(run::exhaust).as("exhaust twice").isInstanceOf(IllegalStateException.class);
        assertThat(run.state()).isEqualTo(TenantRun.State.DRAINING);
    }

    @Test
    void shouldRefuseToEndWithEmailsInFlightAndStayDraining() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        Recording sender = new Recording();
        run.start(T0, sender, "t\u0000");
        assertThatThrownBy(run::end).as("end while SENDING").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SENDING");
        run.handOut(List.of(job("a")));
        run.exhaust();
        assertThatThrownBy(run::end).isInstanceOf(IllegalStateException.class).hasMessageContaining("in flight");
        assertThat(run.state()).isEqualTo(TenantRun.State.DRAINING);
        assertThat(sender.finished).isFalse();
        run.returned(SendResult.notAttempted(job("a")), T0);
        run.end();
        assertThat(run.state()).isEqualTo(TenantRun.State.IDLE);
    }

    @Test
    void shouldTakeBackResultsOnlyWhileEmailsAreInFlight() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        assertThatThrownBy(() -> run.returned(SendResult.notAttempted(job("a")), T0)).as("returned while IDLE")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'t'").hasMessageContaining("IDLE");
        assertThat(run.inFlight()).isZero();
        run.start(T0, new Recording(), "t\u0000");
        assertThatThrownBy(() -> run.returned(SendResult.notAttempted(job("a")), T0)).as("nothing handed out")
                .isInstanceOf(IllegalStateException.class);
        run.handOut(List.of(job("a"), job("b")));
        run.returned(SendResult.notAttempted(job("a")), T0);
        assertThat(run.inFlight()).as("returned while SENDING").isEqualTo(1);
        run.exhaust();
        run.returned(SendResult.notAttempted(job("b")), T0);
        assertThat(run.inFlight()).as("returned while DRAINING").isZero();
        assertThat(run.inFlightBytes()).isZero();
    }

    @Test
    void shouldHaltASendingOrDrainingRunButNotAnIdleTenant() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        assertThatThrownBy(() -> run.halt(T0, Duration.ofSeconds(60))).as("halt while IDLE")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("IDLE");
        assertThat(run.dueToStart(T0)).as("the refused halt set no wait").isTrue();

        Recording sender = new Recording();
        run.start(T0, sender, "t\u0000");
        run.exhaust();
        run.halt(T0, Duration.ofSeconds(60));
        assertThat(sender.halted).as("halt while DRAINING halts the sender").isTrue();
        assertThat(run.state()).isEqualTo(TenantRun.State.DRAINING);
        run.halt(T0, Duration.ofSeconds(120));
        assertThat(run.state()).as("halt twice").isEqualTo(TenantRun.State.DRAINING);
        run.end();
        assertThat(run.dueToStart(T0.plusSeconds(60))).as("the longer wait counts").isFalse();
        assertThat(run.dueToStart(T0.plusSeconds(120))).isTrue();
    }

    @Test
    void shouldCountWhatARunDidThroughItsStatsAndStartEachRunFromNothing() {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        run.start(T0, new Recording(), "t\u0000");
        TenantRun.RunStats stats = run.stats();
        assertThat(stats.isEmpty()).isTrue();
        stats.countSent();
        stats.countSent();
        stats.countDrafted();
        stats.countPartial();
        stats.countFailed();
        stats.countRetried();
        stats.countDeadLettered();
        stats.countSkipped();
        stats.countDuplicates();
        assertThat(stats.sent()).isEqualTo(2);
        assertThat(List.of(stats.drafted(), stats.partial(), stats.failed(), stats.retried(), stats.deadLettered(),
                stats.skipped(), stats.duplicates())).containsOnly(1);
        assertThat(stats).hasToString("sent=2 drafted=1 partial=1 failed=1 retried=1 dead-lettered=1 skipped=1"
                + " duplicates=1");
        run.exhaust();
        assertThat(run.end()).isSameAs(stats);
        assertThat(run.stats().isEmpty()).as("the next run counts from nothing").isTrue();
    }

    /** A started run with emails {@code ids} in flight. */
    private static TenantRun sending(Recording sender, String... ids) {
        TenantRun run = new TenantRun("t");
        run.useConfig(config(""), T0);
        run.start(T0, sender, "t\u0000");
        if (ids.length > 0) {
            run.handOut(java.util.Arrays.stream(ids).map(TenantRunTest::job).toList());
        }
        return run;
    }

    @Test
    void shouldBackOffAfterASlowDownAndStartFromThereOnceItPassed() {
        TenantRun run = sending(new Recording());
        run.halt(T0, Duration.ofSeconds(120));
        List<String> lines = transitionsLogged(() -> {
            run.end();
            assertThat(run.state()).isEqualTo(TenantRun.State.BACKING_OFF);
            assertThat(run.state().isIdle()).isTrue();
            assertThat(run.nextStartAt()).isEqualTo(T0.plusSeconds(120));
            assertThat(run.dueToStart(T0.plusSeconds(119))).isFalse();
            run.start(T0.plusSeconds(120), new Recording(), "t\u0000");
        });
        assertThat(run.state()).isEqualTo(TenantRun.State.SENDING);
        assertThat(lines).containsExactly(
                "Tenant 't': run DRAINING -> BACKING_OFF (run ended, next run not before 2026-12-01T10:02:00Z)",
                "Tenant 't': run BACKING_OFF -> SENDING (start after the slow-down)");
    }

    @Test
    void shouldEndIdleWhenNoServerAskedThisRunToSlowDown() {
        TenantRun run = sending(new Recording());
        run.halt(T0, Duration.ofSeconds(120));
        run.end();
        run.start(T0.plusSeconds(120), new Recording(), "t\u0000");
        run.halt(T0.plusSeconds(120), null);
        run.end();
        assertThat(run.state()).as("the slow-down was the last run's").isEqualTo(TenantRun.State.IDLE);
    }

    @Test
    void shouldRefuseToHaltOrTakeResultsWhileBackingOff() {
        TenantRun run = sending(new Recording());
        run.halt(T0, Duration.ofSeconds(60));
        run.end();
        assertThatThrownBy(() -> run.halt(T0, Duration.ofSeconds(60))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BACKING_OFF");
        assertThatThrownBy(() -> run.returned(SendResult.notAttempted(job("a")), T0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("BACKING_OFF");
        assertThatThrownBy(run::exhaust).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(run::end).isInstanceOf(IllegalStateException.class);
        assertThat(run.configChanged(config(",\"retentionDays\":3"), T0)).as("an idle tenant takes it at once")
                .isFalse();
        assertThat(run.state()).isEqualTo(TenantRun.State.BACKING_OFF);
    }

    @Test
    void shouldLingerWhileEmailsArriveAndSendAgainWhenMoreAreDue() {
        Recording sender = new Recording();
        TenantRun run = sending(sender);
        run.arrived(T0);
        List<String> lines = transitionsLogged(() -> {
            run.nothingMoreDue(T0.plusMillis(100));
            assertThat(run.state()).isEqualTo(TenantRun.State.LINGERING);
            assertThat(run.state().handsOut()).isTrue();
            assertThat(run.room(T0.plusMillis(100), 5)).as("a lingering run may hand out").isEqualTo(5);
            run.nothingMoreDue(T0.plusMillis(200));
            assertThat(run.state()).as("still lingering: no transition").isEqualTo(TenantRun.State.LINGERING);
            run.handOut(List.of(job("a")));
        });
        assertThat(run.state()).isEqualTo(TenantRun.State.SENDING);
        assertThat(sender.submitted).extracting(SendJob::emailId).containsExactly("a");
        assertThat(lines).containsExactly(
                "Tenant 't': run SENDING -> LINGERING (nothing due, emails still arriving)",
                "Tenant 't': run LINGERING -> SENDING (more emails due)");
    }

    @Test
    void shouldDrainALingeringRunOnceEmailsStopArrivingOrItHalts() {
        TenantRun run = sending(new Recording());
        run.arrived(T0);
        run.nothingMoreDue(T0);
        List<String> lines = transitionsLogged(() -> run.nothingMoreDue(T0.plusMillis(300)));
        assertThat(run.state()).isEqualTo(TenantRun.State.DRAINING);
        assertThat(lines).containsExactly("Tenant 't': run LINGERING -> DRAINING (nothing more due)");

        Recording sender = new Recording();
        TenantRun halted = sending(sender);
        halted.arrived(T0);
        halted.nothingMoreDue(T0);
        halted.halt(T0, null);
        assertThat(halted.state()).isEqualTo(TenantRun.State.DRAINING);
        assertThat(sender.halted).isTrue();

        TenantRun exhausted = sending(new Recording());
        exhausted.arrived(T0);
        exhausted.nothingMoreDue(T0);
        exhausted.exhaust();
        assertThat(exhausted.state()).isEqualTo(TenantRun.State.DRAINING);
    }

    @Test
    void shouldDrainAtOnceWhenNoEmailIsArriving() {
        TenantRun run = sending(new Recording());
        run.nothingMoreDue(T0);
        assertThat(run.state()).as("nothing ever arrived").isEqualTo(TenantRun.State.DRAINING);
        assertThatThrownBy(() -> run.nothingMoreDue(T0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DRAINING");
        TenantRun idle = new TenantRun("t");
        idle.useConfig(config(""), T0);
        idle.arrived(T0);
        assertThatThrownBy(() -> idle.nothingMoreDue(T0)).as("no run to linger")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("IDLE");
    }

    @Test
    void shouldReportADownServerOncePerReasonUntilItTakesAnEmailAgain() {
        TenantRun run = sending(new Recording());
        assertThat(run.server()).isEqualTo(TenantRun.Server.USABLE);
        assertThat(run.recovered()).as("nothing was reported").isFalse();
        List<String> lines = transitionsLogged(() -> {
            assertThat(run.firstReportOf("c|refused")).isTrue();
            assertThat(run.server()).isEqualTo(TenantRun.Server.REPORTED_DOWN);
            assertThat(run.firstReportOf("c|refused")).as("the same reason again").isFalse();
            assertThat(run.firstReportOf("c|timeout")).as("another reason").isTrue();
            assertThat(run.recovered()).isTrue();
            assertThat(run.server()).isEqualTo(TenantRun.Server.USABLE);
            assertThat(run.recovered()).as("said once").isFalse();
            assertThat(run.firstReportOf("c|refused")).as("down again after a recovery").isTrue();
        });
        assertThat(lines).containsExactly(
                "Tenant 't': server USABLE -> REPORTED_DOWN (reported)",
                "Tenant 't': server REPORTED_DOWN -> REPORTED_DOWN (reported)",
                "Tenant 't': server REPORTED_DOWN -> USABLE (took an email again)",
                "Tenant 't': server USABLE -> REPORTED_DOWN (reported)");
    }

    @Test
    void shouldKeepWhatItReportedOfItsServerAcrossRuns() {
        TenantRun run = sending(new Recording());
        run.firstReportOf("c|refused");
        run.halt(T0, null);
        run.end();
        run.start(T0.plusSeconds(20), new Recording(), "t\u0000");
        assertThat(run.server()).isEqualTo(TenantRun.Server.REPORTED_DOWN);
        assertThat(run.firstReportOf("c|refused")).as("the next run fails the same way: said once").isFalse();
    }
}
