package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.SuppressionAdmin;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.Json;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "suppress", mixinStandardHelpOptions = true,
        description = "Adds, lifts and lists suppressed recipients (the suppressions topic): the mailer leaves them"
                + " out of the tenant's emails.",
        subcommands = {SuppressCommand.Add.class, SuppressCommand.Remove.class, SuppressCommand.ListSuppressions.class})
final class SuppressCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, remove or list");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Suppresses an address for a tenant's emails: UNSUBSCRIBED only for emails that carry"
                    + " unsubscribe; BOUNCED, COMPLAINED and MANUAL for every email.")
    static final class Add implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "T", required = true, description = "The tenant.")
        String tenant;

        @Option(names = "--address", paramLabel = "A", required = true, description = "The recipient's address.")
        String address;

        @Option(names = "--reason", paramLabel = "REASON", defaultValue = "MANUAL",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        SuppressionReason reason;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ProcessSettings settings = client.settings();
            Suppression s = checked(() -> new SuppressionAdmin(client.kafka(settings), settings.topics())
                    .add(tenant, address, reason, Instant.now()));
            spec.commandLine().getOut().println("Suppressed " + Terminal.clean(s.key()) + " (" + s.reason() + ")");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Lifts the suppression of an address for a tenant (a tombstone): its emails reach it again.")
    static final class Remove implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "T", required = true, description = "The tenant.")
        String tenant;

        @Option(names = "--address", paramLabel = "A", required = true, description = "The recipient's address.")
        String address;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ProcessSettings settings = client.settings();
            String key = checked(() -> new SuppressionAdmin(client.kafka(settings), settings.topics())
                    .remove(tenant, address));
            spec.commandLine().getOut().println("Lifted " + Terminal.clean(key));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Prints the suppressions in force (the topic read to its end, with the mailer's rules), as"
                    + " a table or, with --json, as JSON.")
    static final class ListSuppressions implements Callable<Integer> {
        private static final String FORMAT = "%-16s %-40s %-12s %s%n";

        @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's.")
        String tenant;

        @Option(names = "--address", paramLabel = "A", description = "Only this address (any case).")
        String address;

        @Option(names = "--json", description = "One JSON array, for scripts.")
        boolean json;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ProcessSettings settings = client.settings();
            List<Suppression> found = new SuppressionAdmin(client.kafka(settings), settings.topics())
                    .list(tenant, address);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Suppression s : found) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("tenant", s.tenant());
                    m.put("address", s.address());
                    m.put("reason", s.reason().name());
                    m.put("at", s.at().toString());
                    rows.add(m);
                }
                out.println(Json.prettyWriter().writeValueAsString(rows));
                return 0;
            }
            out.printf(FORMAT, "TENANT", "ADDRESS", "REASON", "SINCE");
            for (Suppression s : found) {
                out.printf(FORMAT, Terminal.cut(s.tenant(), 16), Terminal.cut(s.address(), 40), s.reason(), s.at());
            }
            out.println(found.size() + " suppression(s)");
            return 0;
        }
    }

    /** A bad tenant or address is bad input: exit status 2, naming it. */
    private static <T> T checked(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (InvalidRecordException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
