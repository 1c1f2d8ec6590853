package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.DeadLetter;
import io.github.kafkamailer.admin.DeadLetterAdmin;
import io.github.kafkamailer.admin.DeadLetterFilter;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Lists, shows and replays the dead letters of the dead-letter topic, without loading it whole.",
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, show or replay");
    }

    /** Filters shared by list and replay. */
    static final class Filters {
        @Option(names = "--tenant", paramLabel = "T", description = "Only the dead letters of this tenant.")
        String tenant;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "Only this kind: ${COMPLETION-CANDIDATES}.", completionCandidates = Kinds.class)
        String kind;

        @Option(names = "--since", paramLabel = "WHEN", converter = SinceConverter.class,
                description = "Only those dead-lettered since then: 2h, 7d (ago), 2026-11-30, 2026-11-30T10:00:00Z.")
        Instant since;

        DeadLetterFilter filter(int limit) {
            if (kind != null) {
                try {
                    DeadLetterKind.valueOf(kind.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--kind must be one of INVALID, PERMANENT, EXPIRED, got '" + kind + "'");
                }
            }
            if (limit < 1) {
                throw new InvalidInputException("--limit must be at least 1, got " + limit);
            }
            return new DeadLetterFilter(tenant, kind, since, limit);
        }
    }

    static final class Kinds extends ArrayList<String> {
        Kinds() {
            for (DeadLetterKind k : DeadLetterKind.values()) {
                add(k.name());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Prints the newest dead letters, oldest first, as a table (id, tenant, kind, attempts, when,"
                    + " reason), or as JSON with --json. SENT-LATER marks a letter whose email was sent after all"
                    + " (replayed, or sent again by its producer). Reasons and ids are printed with control"
                    + " characters replaced, so a record can't rewrite your terminal.",
                    "With --follow, goes on printing new dead letters as they come, until Ctrl-C."})
    static final class ListDeadLetters implements Callable<Integer> {
        @Mixin
        Filters filters;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
                description = "The newest N at most (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new dead letters as they come.")
        boolean follow;

        @Option(names = "--json", description = "One JSON array, for scripts.")
        boolean json;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            DeadLetterFilter filter = filters.filter(limit);
            if (follow && json) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--follow and --json don't go together");
            }
            ProcessSettings settings = client.settings();
            PrintWriter out = spec.commandLine().getOut();
            DeadLetterAdmin admin = new DeadLetterAdmin(client.kafka(settings), settings.topics());
            if (follow) {
                header(out);
                admin.follow(filter, d -> row(out, d), () -> !Thread.currentThread().isInterrupted());
                return 0;
            }
            // Neither the table nor the JSON shows values: none is held (dlq show prints one).
            List<DeadLetter> letters = admin.list(filter, 0);
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                letters.forEach(d -> rows.add(asMap(d)));
                out.println(Json.prettyWriter().writeValueAsString(rows));
                return 0;
            }
            header(out);
            letters.forEach(d -> row(out, d));
            out.println(letters.size() + " dead letter(s)" + (letters.size() == limit ? " (the newest " + limit
                    + "; --limit shows more)" : ""));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints the latest dead letter of an email id: its original event on stdout, as it was"
                    + " published (ready to fix and send again with send --file), and the failure on stderr."
                    + " When tenants share the id, --tenant names the one.")
    static final class Show implements Callable<Integer> {
        @Option(names = "--id", paramLabel = "ID", required = true, description = "The email id.")
        String id;

        @Option(names = "--tenant", paramLabel = "T",
                description = "The tenant of the email (needed only when several tenants have a dead letter with this id).")
        String tenant;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ProcessSettings settings = client.settings();
            PrintWriter err = spec.commandLine().getErr();
            DeadLetterAdmin admin = new DeadLetterAdmin(client.kafka(settings), settings.topics());
            Optional<DeadLetter> found = one(admin, tenant, id, err);
            if (found.isEmpty()) {
                return MailerCli.FAILED;
            }
            DeadLetter d = found.get();
            err.println("tenant:        " + Terminal.clean(d.tenant()));
            err.println("kind:          " + Terminal.clean(d.kind()));
            err.println("reason:        " + Terminal.clean(d.reason()));
            err.println("attempts:      " + d.attempts());
            err.println("first failure: " + (d.firstFailure() == null ? "-" : d.firstFailure()));
            err.println("dead-lettered: " + d.deadLetteredAt() + " (" + settings.topics().dlq() + "/" + d.partition()
                    + "/" + d.offset() + ", from " + Terminal.clean(d.source()) + ")");
            if (!d.undelivered().isEmpty()) {
                // Whole, one a line: the reason names them too, but cut.
                err.println("undelivered:   " + d.undelivered().size() + " recipient(s), the others got it");
                d.undelivered().forEach(r -> err.println("  " + Terminal.clean(r)));
            }
            if (d.laterSent()) {
                err.println("note:          this email was SENT after it was dead-lettered");
            }
            err.flush();
            spec.commandLine().getOut().println(d.value() == null ? "" : original(d.value()));
            return 0;
        }

        /** Pretty JSON when it is JSON (so it reads and edits well), else the text with controls replaced. */
        private static String original(byte[] value) {
            try {
                return Json.prettyWriter().writeValueAsString(Json.tolerantReader().readTree(value));
            } catch (IOException | RuntimeException notJson) {
                return Terminal.clean(new String(value, StandardCharsets.UTF_8));
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Publishes dead letters back to the outbox, unchanged, with their attempts starting afresh:"
                    + " the latest letter of each email (tenant and id), skipping those whose email was SENT later."
                    + " An email already sent is not sent again.", "--dry-run lists what would be replayed and publishes nothing."})
    static final class Replay implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        static final class Selection {
            @Option(names = "--id", paramLabel = "ID",
                    description = "The dead letter of this email id (of the tenant --tenant names, needed only when"
                            + " several tenants have one with this id).")
            String id;

            @Option(names = "--all", description = "The dead letters that pass the filters (at most --limit).")
            boolean all;
        }

        @Mixin
        Filters filters;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "10000",
                description = "With --all, the newest N at most (default: ${DEFAULT-VALUE}); they are published a"
                        + " chunk at a time, with progress on stderr.")
        int limit;

        @Option(names = "--dry-run", description = "Only list what would be replayed.")
        boolean dryRun;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            DeadLetterFilter filter = filters.filter(limit);
            ProcessSettings settings = client.settings();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DeadLetterAdmin admin = new DeadLetterAdmin(client.kafka(settings), settings.topics());
            List<DeadLetter> selected;
            if (selection.all) {
                // Without their values: the replay reads the chosen letters again, a chunk at a time.
                selected = admin.list(filter, 0);
                if (selected.isEmpty()) {
                    err.println("no dead letters to replay");
                    return 0;
                }
            } else {
                Optional<DeadLetter> found = one(admin, filters.tenant, selection.id, err);
                if (found.isEmpty()) {
                    return MailerCli.FAILED;
                }
                selected = List.of(found.get());
            }
            // The latest letter of each email, (tenant, id): replaying one twice would only produce a duplicate to
            // drop, while the same id in two tenants is two emails.
            Map<List<String>, DeadLetter> latest = new LinkedHashMap<>();
            for (DeadLetter d : selected) {
                List<String> email = List.of(d.tenant(), d.id());
                latest.remove(email);
                latest.put(email, d);
            }
            List<DeadLetter> replay = new ArrayList<>();
            int sentLater = 0;
            int unreplayable = 0;
            for (DeadLetter d : latest.values()) {
                if (d.laterSent()) {
                    sentLater++;
                } else if (!d.replayable()) {
                    unreplayable++;
                } else {
                    replay.add(d);
                }
            }
            if (dryRun) {
                header(out);
                replay.forEach(d -> row(out, d));
                out.println(replay.size() + " dead letter(s) would be replayed to " + settings.topics().outbox()
                        + "; nothing was published (--dry-run).");
            } else {
                int total = replay.size();
                int n = admin.replay(replay, done -> {
                    if (done < total) {
                        err.println("replayed " + done + " of " + total + "...");
                        err.flush();
                    }
                });
                out.println("Replayed " + n + " dead letter(s) to " + settings.topics().outbox() + ".");
            }
            if (sentLater > 0) {
                err.println("note: " + sentLater + " dead letter(s) skipped: their email was SENT later.");
            }
            if (unreplayable > 0) {
                err.println("note: " + unreplayable + " dead letter(s) without a key or a value skipped"
                        + " (there is no email to send again).");
            }
            return 0;
        }
    }

    /**
     * The latest dead letter of this id, of the tenant when one is named; refused (with what to do, on
     * {@code err}) when there is none, or when several tenants have one and none was named.
     */
    private static Optional<DeadLetter> one(DeadLetterAdmin admin, String tenant, String id, PrintWriter err) {
        List<DeadLetter> letters = admin.latestOfEachTenant(id);
        List<DeadLetter> matching = tenant == null ? letters
                : letters.stream().filter(d -> d.tenant().equals(tenant)).toList();
        if (matching.isEmpty()) {
            err.println("error: no dead letter with id '" + Terminal.clean(id) + "'"
                    + (tenant == null ? "" : " of tenant '" + Terminal.clean(tenant) + "'"));
            return Optional.empty();
        }
        if (matching.size() > 1) {
            List<String> tenants = matching.stream().map(d -> "'" + Terminal.clean(d.tenant()) + "'").toList();
            err.println("error: " + matching.size() + " tenants have a dead letter with id '" + Terminal.clean(id)
                    + "' (" + String.join(", ", tenants.subList(0, Math.min(10, tenants.size())))
                    + (tenants.size() > 10 ? ", ..." : "") + "): name one with --tenant");
            return Optional.empty();
        }
        return Optional.of(matching.get(0));
    }

    private static final String FORMAT = "%-24s %-12s %-9s %-8s %-24s %-10s %s%n";

    private static void header(PrintWriter out) {
        out.printf(FORMAT, "ID", "TENANT", "KIND", "ATTEMPTS", "DEAD-LETTERED", "SENT-LATER", "REASON");
    }

    private static void row(PrintWriter out, DeadLetter d) {
        out.printf(FORMAT, Terminal.cut(d.id(), 24), Terminal.cut(d.tenant(), 12), Terminal.cut(d.kind(), 9),
                d.attempts(), d.deadLetteredAt(), d.laterSent() ? "yes" : "", Terminal.cut(d.reason(), 120));
        out.flush();
    }

    private static Map<String, Object> asMap(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("tenant", d.tenant());
        m.put("kind", d.kind());
        m.put("reason", d.reason());
        m.put("attempts", d.attempts());
        m.put("firstFailure", d.firstFailure() == null ? null : d.firstFailure().toString());
        m.put("deadLetteredAt", d.deadLetteredAt().toString());
        m.put("source", d.source());
        m.put("partition", d.partition());
        m.put("offset", d.offset());
        m.put("laterSent", d.laterSent());
        return m;
    }
}
