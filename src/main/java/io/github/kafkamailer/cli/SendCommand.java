package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publishes email events to the outbox topic, from flags or from a file (one JSON event, or JSON"
                + " lines: one event per line), and prints each id. Every event is validated first: if one is"
                + " invalid, nothing is published (exit status 2).",
                "With --wait, waits for each email's final status: exit 0 when SENT, DRAFTED or SUPPRESSED (every"
                        + " recipient suppressed: nothing to send), 1 when"
                        + " DEAD_LETTERED (the reason printed) or when none came within the wait."})
final class SendCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--file", paramLabel = "F",
                description = "The email event (JSON), or JSON lines (one event per line); - reads stdin.")
        String file;

        @ArgGroup(exclusive = false)
        Flags flags;
    }

    static final class Flags {
        @Option(names = "--to", paramLabel = "A", required = true, description = "A recipient (repeatable).")
        List<String> to = new ArrayList<>();

        @Option(names = "--cc", paramLabel = "A", description = "A copy recipient (repeatable).")
        List<String> cc = new ArrayList<>();

        @Option(names = "--bcc", paramLabel = "A", description = "A blind copy recipient (repeatable).")
        List<String> bcc = new ArrayList<>();

        @Option(names = "--reply-to", paramLabel = "A", description = "Where replies go (repeatable).")
        List<String> replyTo = new ArrayList<>();

        @Option(names = "--subject", paramLabel = "S", required = true, description = "The subject.")
        String subject;

        @Option(names = "--text", paramLabel = "T", description = "The plain text body; - reads it from stdin.")
        String text;

        @Option(names = "--html", paramLabel = "H", description = "The HTML body; - reads it from stdin.")
        String html;

        @Option(names = "--attach", paramLabel = "FILE",
                description = "Attaches a file (repeatable); its content type is guessed from its name.")
        List<Path> attachments = new ArrayList<>();

        @Option(names = "--header", paramLabel = "NAME=VALUE", description = "An extra header (repeatable).")
        Map<String, String> headers = new LinkedHashMap<>();

        @Option(names = "--draft",
                description = "Create a draft in the tenant's Outlook mailbox (through Microsoft Graph) instead of sending.")
        boolean draft;

        @Option(names = "--priority", paramLabel = "P",
                description = "NORMAL (default) or HIGH: a HIGH email goes out within a second, ahead of the"
                        + " tenant's normal ones.")
        io.github.kafkamailer.model.Priority priority;

        @Option(names = "--unsubscribe", paramLabel = "URL|mailer",
                description = "Offer one-click unsubscribe (RFC 8058): your own https endpoint, or 'mailer' for the"
                        + " mailer's own signed link (one recipient only).")
        String unsubscribe;

        @Option(names = "--from", paramLabel = "A", description = "The user the email is sent for.")
        String from;

        @Option(names = "--tenant", paramLabel = "T", description = "The tenant (default: default).")
        String tenant;

        @Option(names = "--id", paramLabel = "ID", description = "The email id (default: a new UUID).")
        String id;
    }

    /** The wait when --timeout is not given: one sending run at the default interval (20 s) and then some. */
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);

    @Option(names = "--wait", description = "Wait for each email's final status, at most --timeout (with --wait,"
            + " its default is 2m).")
    boolean await;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<EmailEvent> emails = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        try {
            if (source.file != null) {
                if (!readEvents(ConfigCommand.readInput(source.file, spec), emails, values, err)) {
                    return MailerCli.INVALID;
                }
            } else {
                EmailEvent email = fromFlags(source.flags);
                byte[] value = EmailEventJson.write(email);
                emails.add(EmailEventJson.parse(value));
                values.add(value);
            }
        } catch (InvalidRecordException e) {
            err.println("error: the email is invalid, nothing was published:");
            for (Violation v : e.violations()) {
                err.println("  " + v.field() + ": " + Terminal.clean(v.reason()));
            }
            return MailerCli.INVALID;
        }
        ProcessSettings settings = client.settings();
        KafkaAccess kafka = client.kafka(settings);
        StatusAdmin statuses = new StatusAdmin(kafka, settings.topics());
        List<String> ids = emails.stream().map(EmailEvent::id).toList();
        StatusAdmin.Mark mark = await ? statuses.mark(ids) : null;
        kafka.publishAll(settings.topics().outbox(), values.size(), i -> ids.get(i).getBytes(StandardCharsets.UTF_8),
                values::get, n -> { });
        ids.forEach(id -> out.println(Terminal.clean(id)));
        out.flush();
        if (!await) {
            return 0;
        }
        boolean timeoutGiven = spec.commandLine().getParseResult().hasMatchedOption("--timeout");
        Duration waitFor = timeoutGiven ? client.timeout : DEFAULT_WAIT;
        String tenant = emails.stream().map(EmailEvent::tenant).distinct().count() == 1 ? emails.get(0).tenant() : null;
        Map<String, StatusEvent> finals = statuses.awaitFinal(ids, tenant, mark, waitFor, s -> {
            err.println(Terminal.clean(s.id()) + ": " + s.status() + (s.error() == null ? "" : " (" + Terminal.clean(s.error()) + ")"));
            err.flush();
        });
        int code = 0;
        for (String id : ids) {
            StatusEvent s = finals.get(id);
            if (s == null) {
                err.println("error: no final status for email '" + Terminal.clean(id) + "' within " + waitFor.toSeconds()
                        + " s (is a mailer running, is the tenant's config enabled?)");
                code = MailerCli.FAILED;
            } else if (!WaitExit.succeeded(s.status())) {
                code = MailerCli.FAILED;
            }
        }
        return code;
    }

    private EmailEvent fromFlags(Flags f) {
        String text = "-".equals(f.text) ? stdin() : f.text;
        String html = "-".equals(f.html) ? stdin() : f.html;
        List<Attachment> attachments = new ArrayList<>();
        for (Path p : f.attachments) {
            attachments.add(attachment(p));
        }
        return EmailEvent.builder(f.id != null ? f.id : UUID.randomUUID().toString())
                .tenant(f.tenant).from(f.from).to(f.to).cc(f.cc.toArray(String[]::new))
                .bcc(f.bcc.toArray(String[]::new)).replyTo(f.replyTo.toArray(String[]::new))
                .subject(f.subject).text(text).html(html).attachments(attachments).headers(f.headers)
                .mode(f.draft ? Mode.DRAFT : Mode.SEND).priority(f.priority)
                .unsubscribe(unsubscribeOf(f.unsubscribe)).build();
    }

    /** {@code mailer}: the mailer's own link; anything else is the producer's endpoint (the rules check it). */
    private static io.github.kafkamailer.model.Unsubscribe unsubscribeOf(String flag) {
        if (flag == null) {
            return null;
        }
        return "mailer".equals(flag) ? io.github.kafkamailer.model.Unsubscribe.mailersOwn()
                : io.github.kafkamailer.model.Unsubscribe.at(flag);
    }

    private String stdin() {
        return new String(ConfigCommand.readInput("-", spec), StandardCharsets.UTF_8);
    }

    static Attachment attachment(Path p) {
        byte[] content;
        try {
            content = Files.readAllBytes(p);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("cannot read the attachment " + p + ": " + e.getMessage());
        }
        String name = p.getFileName().toString();
        return new Attachment(name, contentType(p, name), Base64.getEncoder().encodeToString(content));
    }

    /** From the name's extension (the JDK's table), then the platform's probe; else octet-stream. */
    static String contentType(Path p, String name) {
        String type = URLConnection.guessContentTypeFromName(name);
        if (type == null) {
            try {
                type = Files.probeContentType(p);
            } catch (IOException e) {
                type = null;
            }
        }
        return type == null ? "application/octet-stream" : type;
    }

    /**
     * One JSON object, or JSON lines. Every event is checked before any is published; the errors name the line.
     * False when one is invalid.
     */
    private static boolean readEvents(byte[] bytes, List<EmailEvent> emails, List<byte[]> values, PrintWriter err) {
        String all = new String(bytes, StandardCharsets.UTF_8);
        List<String> chunks = new ArrayList<>();
        try {
            EmailEventJson.parse(bytes);
            chunks.add(all);
        } catch (InvalidRecordException notOneEvent) {
            String[] lines = all.split("\r?\n", -1);
            boolean jsonLines = lines.length > 1 && all.strip().startsWith("{")
                    && java.util.Arrays.stream(lines).filter(l -> !l.isBlank()).count() > 1;
            if (!jsonLines) {
                throw notOneEvent;
            }
            chunks.addAll(List.of(lines));
        }
        boolean ok = true;
        for (int i = 0; i < chunks.size(); i++) {
            String chunk = chunks.get(i);
            if (chunk.isBlank()) {
                continue;
            }
            byte[] value = chunk.getBytes(StandardCharsets.UTF_8);
            try {
                emails.add(EmailEventJson.parse(value));
                values.add(value);
            } catch (InvalidRecordException e) {
                if (ok) {
                    err.println("error: invalid email event(s), nothing was published:");
                }
                ok = false;
                for (Violation v : e.violations()) {
                    err.println("  " + (chunks.size() > 1 ? "line " + (i + 1) + ": " : "") + v.field() + ": "
                            + Terminal.clean(v.reason()));
                }
            }
        }
        if (ok && emails.isEmpty()) {
            err.println("error: no email event in the input");
            return false;
        }
        return ok;
    }
}
