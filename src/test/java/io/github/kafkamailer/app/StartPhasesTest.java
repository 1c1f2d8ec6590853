package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the start-up log says of each phase, and the settings of the repartition topic made ahead of Streams. */
class StartPhasesTest {
    @Test
    void shouldSayEachPhaseAsTheTimeSinceThePreviousOne() {
        AtomicLong uptime = new AtomicLong(900);
        StartPhases phases = new StartPhases(uptime::get);
        phases.done("JVM and settings");
        uptime.set(1250);
        phases.done("topics created");
        assertThat(phases.summary())
                .isEqualTo("JVM and settings 900 ms, topics created 350 ms (1250 ms since the JVM started)");
        assertThat(phases.firstSendSeen()).isFalse();
        phases.firstSendDone();
        assertThat(phases.firstSendSeen()).isTrue();
    }

    @Test
    void shouldGiveTheRepartitionTopicStreamsSettingsWithTheAppsTopicSettingsOverThem() {
        Properties streams = new Properties();
        streams.put("topic.max.message.bytes", "1200000");
        streams.put("topic.retention.ms", "86400000");
        streams.put("application.id", "mailer");
        assertThat(RepartitionAhead.configs(streams))
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("segment.bytes", "52428800")
                .containsEntry("max.message.bytes", "1200000")
                .containsEntry("retention.ms", "86400000")
                .doesNotContainKey("application.id");
        assertThat(RepartitionAhead.topic("mailer")).isEqualTo("mailer-by-tenant-repartition");
        assertThat(RepartitionAhead.highTopic("mailer")).isEqualTo("mailer-by-tenant-high-repartition");
        // Its records carry timestamp 0 (read first): no log.message.timestamp.before.max.ms may refuse them.
        assertThat(RepartitionAhead.highConfigs(streams))
                .containsEntry("max.message.bytes", "1200000")
                .containsEntry("message.timestamp.type", "CreateTime")
                .containsEntry("message.timestamp.before.max.ms", Long.toString(Long.MAX_VALUE));
    }
}
