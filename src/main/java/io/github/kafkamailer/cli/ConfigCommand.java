package io.github.kafkamailer.cli;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Publishes and reads the per-tenant config records of the config topic.",
        subcommands = {ConfigCommand.Set.class, ConfigCommand.Get.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: set or get");
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Validates a config record (JSON) against every rule, then publishes it for the tenant. An invalid record is not published: each bad field is named on stderr and the exit status is 2.")
    static final class Set implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--tenant", paramLabel = "T", defaultValue = "default",
                description = "Tenant id, the record's key (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Option(names = "--file", paramLabel = "F", required = true, description = "The config record, JSON.")
        Path file;

        @Option(names = "--check", description = "Only validate the record; publish nothing.")
        boolean checkOnly;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            byte[] bytes = read(file);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            MailerConfig config;
            try {
                config = ConfigJson.parse(bytes);
            } catch (InvalidRecordException e) {
                err.println("error: the config record in " + file + " is invalid, nothing was published:");
                for (Violation v : e.violations()) {
                    err.println("  " + v.field() + ": " + v.reason());
                }
                return MailerCli.INVALID;
            }
            if (checkOnly) {
                out.println("The config record in " + file + " is valid (transport " + config.transportKind() + ").");
                return 0;
            }
            ProcessSettings settings = client.settings();
            RecordMetadata m = KafkaClients.publish(settings, settings.topics().config(),
                    tenant.getBytes(StandardCharsets.UTF_8), bytes);
            out.println("Config of tenant '" + tenant + "' published to " + m.topic() + " (partition "
                    + m.partition() + ", offset " + m.offset() + "); the mailer applies it without a restart.");
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints the tenant's config in force (the last valid record), every field with its effective value; secrets are shown as ********.")
    static final class Get implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--tenant", paramLabel = "T", defaultValue = "default",
                description = "Tenant id (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ProcessSettings settings = client.settings();
            MailerConfig[] inForce = new MailerConfig[1];
            String[] rejectedLater = new String[1];
            KafkaClients.readAll(settings, settings.topics().config(), r -> {
                if (r.key() == null || !tenant.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                    return;
                }
                if (r.value() == null) {
                    inForce[0] = null;
                    rejectedLater[0] = null;
                    return;
                }
                try {
                    inForce[0] = ConfigJson.parse(r.value());
                    rejectedLater[0] = null;
                } catch (InvalidRecordException e) {
                    rejectedLater[0] = "a later record (offset " + r.offset() + ") was rejected: " + e.getMessage();
                }
            });
            if (inForce[0] == null) {
                spec.commandLine().getErr().println("error: no valid config for tenant '" + tenant + "' in "
                        + settings.topics().config() + (rejectedLater[0] != null ? "; " + rejectedLater[0] : ""));
                return MailerCli.FAILED;
            }
            spec.commandLine().getOut().println(ConfigJson.writeRedacted(inForce[0]));
            if (rejectedLater[0] != null) {
                spec.commandLine().getErr().println("note: " + rejectedLater[0]);
            }
            return 0;
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
