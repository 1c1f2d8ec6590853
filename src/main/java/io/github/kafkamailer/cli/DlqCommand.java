package io.github.kafkamailer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.failure.DeadLetterKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Lists and replays the dead letters of the dead-letter topic.",
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list or replay");
    }

    /** Filters shared by list and replay. */
    static final class Filters {
        @Option(names = "--tenant", paramLabel = "T", description = "Only the dead letters of this tenant.")
        String tenant;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "Only this kind: ${COMPLETION-CANDIDATES}.", completionCandidates = Kinds.class)
        String kind;

        boolean accepts(DeadLetterView d) {
            return (tenant == null || tenant.equals(d.tenant()))
                    && (kind == null || kind.equalsIgnoreCase(d.kind()));
        }

        void check() {
            if (kind != null) {
                try {
                    DeadLetterKind.valueOf(kind.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--kind must be one of INVALID, PERMANENT, EXPIRED, got '" + kind + "'");
                }
            }
        }
    }

    static final class Kinds extends ArrayList<String> {
        Kinds() {
            super(List.of("INVALID", "PERMANENT", "EXPIRED"));
        }
    }

    static List<DeadLetterView> read(ProcessSettings settings, Filters filters) {
        List<DeadLetterView> out = new ArrayList<>();
        KafkaClients.readAll(settings, settings.topics().dlq(), r -> {
            DeadLetterView d = DeadLetterView.of(r);
            if (filters.accepts(d)) {
                out.add(d);
            }
        });
        return out;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Prints the dead letters as a table (id, tenant, kind, reason, attempts, first failure), or as JSON with --json.")
    static final class ListDeadLetters implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Mixin
        Filters filters;

        @Option(names = "--json", description = "One JSON array, for scripts.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            filters.check();
            List<DeadLetterView> letters = read(client.settings(), filters);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (DeadLetterView d : letters) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", d.id());
                    m.put("tenant", d.tenant());
                    m.put("kind", d.kind());
                    m.put("reason", d.reason());
                    m.put("attempts", d.attempts());
                    m.put("firstFailure", d.firstFailure());
                    m.put("source", d.source());
                    m.put("partition", d.partition());
                    m.put("offset", d.offset());
                    rows.add(m);
                }
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
                return 0;
            }
            String format = "%-24s %-12s %-9s %-8s %-24s %s%n";
            out.printf(format, "ID", "TENANT", "KIND", "ATTEMPTS", "FIRST FAILURE", "REASON");
            for (DeadLetterView d : letters) {
                out.printf(format, cut(d.id(), 24), cut(d.tenant(), 12), d.kind(), d.attempts(),
                        d.firstFailure() == null ? "-" : d.firstFailure(), cut(d.reason(), 100));
            }
            out.println(letters.size() + " dead letter(s)");
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Publishes dead letters back to the outbox, unchanged, with their attempts starting afresh. An email already sent is not sent again.")
    static final class Replay implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        static final class Selection {
            @Option(names = "--id", paramLabel = "ID", description = "The dead letter of this email id.")
            String id;

            @Option(names = "--all", description = "Every dead letter (narrowed by --kind and --tenant).")
            boolean all;
        }

        @Mixin
        Filters filters;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            filters.check();
            ProcessSettings settings = client.settings();
            // The latest dead letter of each id: replaying an id twice would only produce a duplicate to drop.
            Map<String, DeadLetterView> latest = new LinkedHashMap<>();
            for (DeadLetterView d : read(settings, filters)) {
                if (selection.all || d.id().equals(selection.id)) {
                    latest.remove(d.id());
                    latest.put(d.id(), d);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (latest.isEmpty()) {
                err.println(selection.all ? "no dead letters to replay" : "error: no dead letter with id '" + selection.id + "'");
                return selection.all ? 0 : MailerCli.FAILED;
            }
            List<DeadLetterView> replayable = new ArrayList<>();
            int unreplayable = 0;
            for (DeadLetterView d : latest.values()) {
                if (d.key() == null || d.value() == null) {
                    unreplayable++;
                } else {
                    replayable.add(d);
                }
            }
            int[] done = {0};
            KafkaClients.publishAll(settings, settings.topics().outbox(), replayable.size(), i -> replayable.get(i).key(),
                    i -> replayable.get(i).value(), n -> {
                        done[0] = n;
                        if (n % 1000 == 0 && n < replayable.size()) {
                            err.println("replayed " + n + " of " + replayable.size() + " ...");
                        }
                    });
            out.println("Replayed " + done[0] + " dead letter(s) to " + settings.topics().outbox() + ".");
            if (unreplayable > 0) {
                err.println("note: " + unreplayable + " dead letter(s) without a key or a value were not replayed"
                        + " (there is no email to send again).");
            }
            return 0;
        }
    }

    private static String cut(String s, int max) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
