package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code topics create} makes the service-start topic too, as the mailer would make it at its start. */
class ServiceStartTopicTest {

    @Test
    void shouldListTheServiceStartTopicOfTheApplicationIdAfterTheDeclaredOnes() {
        Properties p = new Properties();
        p.setProperty("application.id", "billing-mailer");
        p.setProperty(ProcessSettings.TOPIC_REPLICATION_FACTOR, "3");
        p.setProperty(ProcessSettings.TOPIC_PARTITIONS, "12");
        ProcessSettings settings = ProcessSettings.of(p);

        List<TopicSpec> specs = ServiceStartTopic.withDeclared(settings);

        assertThat(specs).hasSize(TopicsFile.load(settings).size() + 1);
        TopicSpec last = specs.get(specs.size() - 1);
        assertThat(last.name()).isEqualTo("billing-mailer-service-start").isEqualTo(ServiceStart.topic("billing-mailer"));
        // One partition whatever the general setting: the service's start is one record, read to its end.
        assertThat(last.partitions()).isEqualTo(1);
        assertThat(last.replicationFactor()).isEqualTo((short) 3);
        assertThat(last.cleanupPolicy()).isEqualTo("compact");
    }

    @Test
    void shouldUseTheMailersOwnApplicationIdAndTheBrokersReplicationByDefault() {
        TopicSpec spec = ServiceStartTopic.spec(ProcessSettings.of(new Properties()));

        assertThat(spec.name()).isEqualTo("mailer-service-start");
        assertThat(spec.replicationFactor()).isEqualTo((short) -1);
    }
}
