package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.app.TopicCreator;
import io.github.kafkamailer.app.TopicSpec;
import io.github.kafkamailer.app.ServiceStartTopic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manages the mailer's topics.",
        subcommands = TopicsCommand.Create.class)
final class TopicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: create");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates the topics declared in topics/topics.json that don't exist yet (cleanup policy,"
                    + " retention), and <application.id>-service-start (one partition, compacted: when the service"
                    + " started, for skipPendingOnStart), with the client properties of --command-config (SASL, SSL,"
                    + " ...).",
                    "Partitions and replication factor: the options, else mailer.topic.<role>.partitions /"
                            + " .replication.factor or mailer.topic.partitions / mailer.topic.replication.factor of"
                            + " the properties file, else the broker's defaults (num.partitions,"
                            + " default.replication.factor)."})
    static final class Create implements Callable<Integer> {
        @Option(names = "--partitions", paramLabel = "N",
                description = "Partitions of each new topic (default: the broker's, -1).")
        Integer partitions;

        @Option(names = "--replication-factor", paramLabel = "N",
                description = "Replication factor of each new topic (default: the broker's, -1).")
        Integer replicationFactor;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, String> flags = new HashMap<>();
            if (partitions != null) {
                flags.put(ProcessSettings.TOPIC_PARTITIONS, partitions.toString());
            }
            if (replicationFactor != null) {
                flags.put(ProcessSettings.TOPIC_REPLICATION_FACTOR, replicationFactor.toString());
            }
            ProcessSettings settings = client.settings(flags);
            List<TopicSpec> specs;
            try {
                specs = ServiceStartTopic.withDeclared(settings);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
            KafkaAccess kafka = client.kafka(settings);
            kafka.requireCluster();
            try (Admin admin = kafka.admin()) {
                List<String> created = TopicCreator.createMissing(admin, specs, client.timeout);
                for (TopicSpec t : specs) {
                    spec.commandLine().getOut().printf("%-8s %s (%s partitions, replication %s, %s)%n",
                            created.contains(t.name()) ? "created" : "exists", t.name(), orBroker(t.partitions()),
                            orBroker(t.replicationFactor()), t.cleanupPolicy());
                }
            }
            return 0;
        }

        private static String orBroker(int n) {
            return n < 0 ? "broker default" : Integer.toString(n);
        }
    }
}
