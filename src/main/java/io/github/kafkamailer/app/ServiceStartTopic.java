package io.github.kafkamailer.app;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The topic {@code <application.id>-service-start} ({@link ServiceStart}) as one more topic for
 * {@code topics create} to make: a mailer whose principal may not create topics then still finds it, and
 * {@code skipPendingOnStart} knows when the service started. One partition, compacted, as the mailer makes it.
 */
public final class ServiceStartTopic {
    /** The role it is listed under. */
    public static final String ROLE = "service-start";
    /** The application id when the settings give none: the mailer's own ({@code MailerApp.streamsConfig}). */
    static final String DEFAULT_APPLICATION_ID = "mailer";

    private ServiceStartTopic() {
    }

    /** The service-start topic of the application id the settings give, with their replication factor. */
    public static TopicSpec spec(ProcessSettings settings) {
        String applicationId = settings.get(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        return new TopicSpec(ROLE, ServiceStart.topic(applicationId), 1, settings.checked().topicReplicationFactor(),
                TopicConfig.CLEANUP_POLICY_COMPACT, null, null);
    }

    /** The declared topics ({@link TopicsFile}) and the service-start topic, last. */
    public static List<TopicSpec> withDeclared(ProcessSettings settings) {
        List<TopicSpec> all = new ArrayList<>(TopicsFile.load(settings));
        all.add(spec(settings));
        return all;
    }
}
