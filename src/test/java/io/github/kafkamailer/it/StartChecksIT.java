package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.app.MailerApp;
import io.github.kafkamailer.cli.MailerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the mailer checks before it starts (issue 9, item 8): a config topic that would lose tenants' configs. */
class StartChecksIT {
    @TempDir
    Path dir;

    private MailerHarness mailer;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state"));
    }

    @AfterEach
    void tearDown() {
        mailer.close();
    }

    private void createConfigTopicWithPolicy(String policy) throws Exception {
        try (Admin admin = mailer.admin()) {
            admin.createTopics(List.of(new NewTopic(mailer.topics.config(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseToStartWhenTheConfigTopicIsNotCompacted() throws Exception {
        createConfigTopicWithPolicy(TopicConfig.CLEANUP_POLICY_DELETE);

        MailerApp app = new MailerApp(mailer.settings(), MailerApp.prometheusMetrics(), Clock.systemUTC(),
                MailerApp.defaultTransport(mailer.settings(), Clock.systemUTC()));
        try (app) {
            assertThatThrownBy(app::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(mailer.topics.config()).hasMessageContaining("cleanup.policy=delete")
                    .hasMessageContaining("compact");
            assertThat(app.streams()).as("nothing was started").isNull();
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(new String[] {"run", "--config",
                mailer.writeProcessConfig(dir.resolve("mailer.properties")).toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains(mailer.topics.config()).contains("is not compacted");
    }

    @Test
    void shouldStartWithACompactedConfigTopicEvenWithDeleteToo() throws Exception {
        createConfigTopicWithPolicy("compact,delete");
        mailer.start();
        assertThat(mailer.app().isRunning()).isTrue();
    }

    @Test
    void shouldRaiseTheSizeOfExistingRetryDeadLetterAndInternalTopicsToTheOutboxsLimitPlusHeadroom() throws Exception {
        String appId = mailer.settings().get(StreamsConfig.APPLICATION_ID_CONFIG, null);
        List<String> small = List.of(mailer.topics.retry(), mailer.topics.dlq(), appId + "-pending-emails-changelog",
                appId + "-by-tenant-repartition");
        try (Admin admin = mailer.admin()) {
            List<NewTopic> topics = new java.util.ArrayList<>();
            topics.add(new NewTopic(mailer.topics.outbox(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "3000000")));
            small.forEach(t -> topics.add(new NewTopic(t, 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588"))));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        mailer.start();
        try (Admin admin = mailer.admin()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<ConfigResource, Config> described = admin.describeConfigs(small.stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get(30, TimeUnit.SECONDS);
                assertThat(described.values()).extracting(c -> c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())
                        .containsOnly(Integer.toString(3_000_000 + 300_000));
            });
        }
    }
}
