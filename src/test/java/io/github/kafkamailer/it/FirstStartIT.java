package io.github.kafkamailer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start of a new mailer service (a new application id) on a real broker: its stream thread joins the
 * group once. Before, Kafka Streams created the repartition by tenant during the first rebalance, the topic then
 * changed the metadata the group had joined with, and the group rebalanced a second time before it ran (2.8 s of
 * the time to the first email, measured on the benchmark).
 */
class FirstStartIT {
    @TempDir
    Path dir;

    private MailerHarness mailer;

    @AfterEach
    void tearDown() {
        if (mailer != null) {
            mailer.close();
        }
    }

    @Test
    void shouldJoinTheGroupOnceOnTheFirstStartOfANewService() throws Exception {
        mailer = new MailerHarness(dir.resolve("state"));
        mailer.start();

        Map<MetricName, ? extends Metric> metrics = mailer.app().streams().metrics();
        List<Double> joins = metrics.entrySet().stream()
                .filter(e -> e.getKey().group().equals("consumer-coordinator-metrics")
                        && e.getKey().name().equals("join-total"))
                .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .toList();
        assertThat(joins).as("the stream thread's consumer joined once, no second rebalance").containsExactly(1.0);

        String byTenant = mailer.settings().kafkaProperties().getProperty("application.id") + "-by-tenant-repartition";
        Map<String, TopicDescription> d = mailer.admin().describeTopics(List.of(byTenant, mailer.topics.outbox()))
                .allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(d.get(byTenant).partitions()).as("as many partitions as Streams would give it")
                .hasSameSizeAs(d.get(mailer.topics.outbox()).partitions());
    }
}
