package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints what happened to one email: its statuses from the status topic, oldest first (time,"
                + " status, attempts, transport, error).",
                "With --follow, prints them all, then goes on printing new ones until the latest is final (SENT,"
                        + " DRAFTED: exit 0; DEAD_LETTERED, SKIPPED: exit 1) or Ctrl-C. A dead letter replayed and"
                        + " sent since ends with SENT. Without, exit 1 when the email has no status yet."})
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--id", paramLabel = "ID", required = true, description = "The email id.")
    String id;

    @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's email of that id.")
    String tenant;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new statuses until a final one.")
    boolean follow;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ProcessSettings settings = client.settings();
        PrintWriter out = spec.commandLine().getOut();
        StatusAdmin admin = new StatusAdmin(client.kafka(settings), settings.topics());
        if (!follow) {
            List<StatusEvent> history = admin.history(id, tenant);
            if (history.isEmpty()) {
                spec.commandLine().getErr().println("error: no status for email '" + Terminal.clean(id) + "'"
                        + (tenant == null ? "" : " of tenant '" + tenant + "'") + " in " + settings.topics().status()
                        + " (not sent yet, or older than the topic's retention)");
                return MailerCli.FAILED;
            }
            header(out);
            history.forEach(s -> print(out, s));
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
        Status status = last.get().status();
        return status == Status.SENT || status == Status.DRAFTED ? 0 : MailerCli.FAILED;
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
