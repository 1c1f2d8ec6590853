package io.github.kafkamailer.cli;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.app.TopicCreator;
import io.github.kafkamailer.app.TopicSpec;
import io.github.kafkamailer.app.TopicsFile;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
            description = "Creates the topics declared in topics/topics.json that don't exist yet.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ProcessSettings settings = client.settings();
            List<TopicSpec> specs = TopicsFile.load(settings.topics());
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
            try (Admin admin = Admin.create(p)) {
                List<String> created = TopicCreator.createMissing(admin, specs, Duration.ofSeconds(30));
                for (TopicSpec t : specs) {
                    spec.commandLine().getOut().printf("%-14s %s (%d partitions, %s)%n",
                            created.contains(t.name()) ? "created" : "exists", t.name(), t.partitions(),
                            t.cleanupPolicy());
                }
            }
            return 0;
        }
    }
}
