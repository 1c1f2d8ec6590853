package io.github.kafkamailer.cli;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Publishes an email event to the outbox topic, from a JSON file or from flags, and prints its id. The event is validated first: an invalid one is not published (exit status 2).")
final class SendCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--file", paramLabel = "F", description = "The email event, JSON.")
        Path file;

        @ArgGroup(exclusive = false)
        Flags flags;
    }

    static final class Flags {
        @Option(names = "--to", paramLabel = "A", required = true, description = "A recipient (repeatable).")
        List<String> to = new ArrayList<>();

        @Option(names = "--subject", paramLabel = "S", required = true, description = "The subject.")
        String subject;

        @Option(names = "--text", paramLabel = "T", description = "The plain text body.")
        String text;

        @Option(names = "--html", paramLabel = "H", description = "The HTML body.")
        String html;

        @Option(names = "--from", paramLabel = "A", description = "The user the email is sent for.")
        String from;

        @Option(names = "--tenant", paramLabel = "T", description = "The tenant (default: default).")
        String tenant;

        @Option(names = "--id", paramLabel = "ID", description = "The email id (default: a new UUID).")
        String id;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        byte[] value;
        String id;
        try {
            if (source.file != null) {
                value = ConfigCommand.read(source.file);
                id = EmailEventJson.parse(value).id();
            } else {
                Flags f = source.flags;
                EmailEvent email = EmailEvent.builder(f.id != null ? f.id : UUID.randomUUID().toString())
                        .tenant(f.tenant).from(f.from).to(f.to).subject(f.subject).text(f.text).html(f.html)
                        .build();
                value = EmailEventJson.write(email);
                id = EmailEventJson.parse(value).id();
            }
        } catch (InvalidRecordException e) {
            spec.commandLine().getErr().println("error: the email is invalid, nothing was published:");
            for (Violation v : e.violations()) {
                spec.commandLine().getErr().println("  " + v.field() + ": " + v.reason());
            }
            return MailerCli.INVALID;
        }
        ProcessSettings settings = client.settings();
        KafkaClients.publish(settings, settings.topics().outbox(), id.getBytes(StandardCharsets.UTF_8), value);
        spec.commandLine().getOut().println(id);
        return 0;
    }
}
