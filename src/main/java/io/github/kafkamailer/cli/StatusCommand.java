package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.admin.StatusLookup;
import io.github.kafkamailer.admin.StatusLookupClient;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.model.StatusEvent;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints what became of one email: its latest status (time, tenant, status, attempts, transport,"
                + " error), one line per tenant that used the id. It asks a running mailer (GET /api/status at --url),"
                + " which keeps the latest status of every email and asks the instance that holds it: one read,"
                + " however long the status topic's history. Exit 1 when the email has no status yet, or when no"
                + " mailer answers (then --history still works).",
                "With --follow, asks again every half second and prints each new status until the latest is final"
                        + " (SENT, DRAFTED, SUPPRESSED: exit 0; DEAD_LETTERED, SKIPPED: exit 1) or Ctrl-C. A dead letter replayed"
                        + " and sent since ends with SENT.",
                "With --history, reads every status of the email from the status topic instead, oldest first (needs"
                        + " Kafka: --bootstrap-servers; it reads the id's partition from its start); with --follow too,"
                        + " then goes on printing new ones from the topic until the latest is final."})
final class StatusCommand implements Callable<Integer> {
    static final String TOKEN_SETTING = ProcessSettings.HTTP_PEER_TOKEN;
    static final String TOKEN_ENV = ProcessSettings.HTTP_PEER_TOKEN_ENV;
    private static final Duration POLL = Duration.ofMillis(500);

    @Option(names = "--id", paramLabel = "ID", required = true, description = "The email id.")
    String id;

    @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's email of that id.")
    String tenant;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new statuses until a final one.")
    boolean follow;

    @Option(names = "--history", description = "Every status from the status topic (Kafka), not just the latest.")
    boolean history;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "A running mailer's HTTP address (default: ${DEFAULT-VALUE}; see mailer.http.port),"
                    + " asked within --timeout.")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The mailer's peer token (" + TOKEN_SETTING + "). Default: $" + TOKEN_ENV + ", else "
                    + TOKEN_SETTING + " in the --config file, else the token derived from $MAILER_ADMIN_PASSWORD."
                    + " Never printed.")
    String token;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (history) {
            return fromTopic();
        }
        ProcessSettings settings = client.settings();
        StatusLookup lookup = new StatusLookupClient(baseUrl(), token(settings), client.timeout, "");
        PrintWriter out = spec.commandLine().getOut();
        StatusLookup.Answer first = lookup.latest(id, tenant);
        if (first instanceof StatusLookup.Unavailable u) {
            return noMailer(u);
        }
        if (!follow) {
            if (first instanceof StatusLookup.Found f) {
                header(out);
                f.statuses().forEach(s -> print(out, s));
                return 0;
            }
            spec.commandLine().getErr().println("error: no status for email '" + Terminal.clean(id) + "'" + ofTenant()
                    + " (not sent yet, or older than the topic's retention)");
            return MailerCli.FAILED;
        }
        return followLookup(lookup, first, out);
    }

    /** Asks again every {@link #POLL}, printing each tenant's status when it changes, until all are final. */
    private int followLookup(StatusLookup lookup, StatusLookup.Answer first, PrintWriter out) {
        header(out);
        Map<String, StatusEvent> printed = new LinkedHashMap<>();
        boolean warned = false;
        StatusLookup.Answer a = first;
        while (true) {
            if (a instanceof StatusLookup.Found f) {
                List<StatusEvent> oldestFirst = new java.util.ArrayList<>(f.statuses());
                java.util.Collections.reverse(oldestFirst);
                for (StatusEvent s : oldestFirst) {
                    if (!s.equals(printed.get(s.tenant()))) {
                        print(out, s);
                        printed.put(s.tenant(), s);
                    }
                }
                if (!printed.isEmpty() && printed.values().stream().allMatch(s -> StatusAdmin.FINAL.contains(s.status()))) {
                    return printed.values().stream().allMatch(s -> WaitExit.succeeded(s.status())) ? 0
                            : MailerCli.FAILED;
                }
            } else if (a instanceof StatusLookup.Unavailable u && !warned) {
                // Rebalancing, or an instance restarting: said once, and asked again.
                spec.commandLine().getErr().println("warning: " + Terminal.clean(u.reason()) + "; still asking");
                warned = true;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return MailerCli.FAILED;
            }
            a = lookup.latest(id, tenant);
        }
    }

    private int noMailer(StatusLookup.Unavailable u) {
        spec.commandLine().getErr().println("error: " + Terminal.clean(u.reason()) + System.lineSeparator()
                + "Give a running mailer's address with --url, or read the full history from the status topic with"
                + " --history (needs --bootstrap-servers).");
        return MailerCli.FAILED;
    }

    /** {@code --history}: the statuses on the topic, oldest first; with {@code --follow}, then the new ones. */
    private int fromTopic() {
        ProcessSettings settings = client.settings();
        PrintWriter out = spec.commandLine().getOut();
        StatusAdmin admin = new StatusAdmin(client.kafka(settings), settings.topics());
        if (!follow) {
            List<StatusEvent> all = admin.history(id, tenant);
            if (all.isEmpty()) {
                spec.commandLine().getErr().println("error: no status for email '" + Terminal.clean(id) + "'"
                        + ofTenant() + " in " + settings.topics().status()
                        + " (not sent yet, or older than the topic's retention)");
                return MailerCli.FAILED;
            }
            header(out);
            all.forEach(s -> print(out, s));
            return 0;
        }
        // The history first, to its end now: an email dead-lettered, replayed and sent has an old final status
        // before its latest one, and only the latest says whether there is more to wait for.
        StatusAdmin.Mark end = admin.mark(id);
        header(out);
        AtomicReference<StatusEvent> last = new AtomicReference<>();
        java.util.function.Consumer<StatusEvent> printed = s -> {
            print(out, s);
            last.set(s);
        };
        java.util.function.BooleanSupplier notFinal =
                () -> last.get() == null || !StatusAdmin.FINAL.contains(last.get().status());
        admin.history(id, tenant, end).forEach(printed);
        if (notFinal.getAsBoolean()) {
            admin.follow(id, tenant, end, printed, notFinal);
        }
        return WaitExit.of(last.get().status());
    }

    private URI baseUrl() {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("no http(s) URL with a host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--url must be an http(s) URL such as http://127.0.0.1:8080, got '"
                    + Terminal.clean(url) + "'");
        }
    }

    /** The flag, the peers' variable, the config file's setting, or the token derived from the admin password. */
    private String token(ProcessSettings settings) {
        if (token == null && System.getenv(TOKEN_ENV) == null) {
            java.util.Optional<String> fromFile = settings.checked().peerToken();
            if (fromFile.isPresent()) {
                return fromFile.get();
            }
        }
        return PendingCommand.token(token, System.getenv()).orElse(null);
    }

    private String ofTenant() {
        return tenant == null ? "" : " of tenant '" + Terminal.clean(tenant) + "'";
    }

    private static void header(PrintWriter out) {
        out.printf("%-24s %-12s %-15s %-8s %-10s %s%n", "AT", "TENANT", "STATUS", "ATTEMPTS", "TRANSPORT", "ERROR");
    }

    private static void print(PrintWriter out, StatusEvent s) {
        out.printf("%-24s %-12s %-15s %-8d %-10s %s%n", s.at(), Terminal.cut(s.tenant(), 12), s.status(),
                s.attempts(), s.transport() == null ? "-" : s.transport(), s.error() == null ? "" : Terminal.clean(s.error()));
        out.flush();
    }
}
