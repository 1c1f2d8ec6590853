package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.TemplateAdmin;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.TemplateJson;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.model.Violation;
import io.github.kafkamailer.template.RenderedContent;
import io.github.kafkamailer.template.TemplateRenderException;
import io.github.kafkamailer.template.TemplateSyntaxException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Publishes, reads, lists, deletes and previews the tenants' templates (the templates topic):"
                + " Mustache sources for an email's subject, text and html, rendered by the mailer when it sends.",
        subcommands = {TemplateCommand.Set.class, TemplateCommand.Get.class, TemplateCommand.ListTemplates.class,
                TemplateCommand.Delete.class, TemplateCommand.Preview.class})
final class TemplateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: set, get, list, delete or preview");
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Checks a template as the mailer will (the record's rules, then its Mustache compiled)"
                    + " and publishes it under TENANT/NAME; the mailer uses it for the next emails that name it. An"
                    + " invalid one is not published: the reason, with the part and line, on stderr, exit status 2.",
                    "F holds {\"subject\": ..., \"text\": ..., \"html\": ...} (at least one of text and html), or a"
                            + " whole record (as template get prints it)."})
    static final class Set implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "T", required = true, description = "The tenant.")
        String tenant;

        @Option(names = "--name", paramLabel = "N", required = true,
                description = "The template's name: [A-Za-z0-9._-]{1,100}.")
        String name;

        @Option(names = "--file", paramLabel = "F", required = true, description = "The template (JSON); - reads stdin.")
        String file;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Template t = valid(() -> TemplateAdmin.checked(TemplateAdmin.fromJson(tenant, name,
                    ConfigCommand.readInput(file, spec))), spec.commandLine().getErr(), file);
            if (t == null) {
                return MailerCli.INVALID;
            }
            ProcessSettings settings = client.settings();
            long offset = new TemplateAdmin(client.kafka(settings), settings.topics()).publish(t).offset();
            spec.commandLine().getOut().println("Template " + Terminal.clean(t.key()) + " published to "
                    + settings.topics().templates() + " (offset " + offset + ").");
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints the template in force (its last valid record) as JSON, which template set --file"
                    + " takes back. Exit status 1 when the tenant has no such template.")
    static final class Get implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "T", required = true, description = "The tenant.")
        String tenant;

        @Option(names = "--name", paramLabel = "N", required = true, description = "The template's name.")
        String name;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ProcessSettings settings = client.settings();
            Optional<Template> t = new TemplateAdmin(client.kafka(settings), settings.topics()).get(tenant, name);
            if (t.isEmpty()) {
                spec.commandLine().getErr().println("error: no template " + Terminal.clean(Template.keyOf(tenant,
                        name)) + " in " + settings.topics().templates());
                return MailerCli.FAILED;
            }
            // JSON escapes every control character: safe to print as it is.
            spec.commandLine().getOut().println(TemplateJson.writePretty(t.get()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the templates in force (the topic read to its end, with the mailer's rules): tenant,"
                    + " name, the bodies it has, and its subject's source.")
    static final class ListTemplates implements Callable<Integer> {
        private static final String FORMAT = "%-16s %-32s %-10s %s%n";

        @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's.")
        String tenant;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ProcessSettings settings = client.settings();
            List<Template> found = new TemplateAdmin(client.kafka(settings), settings.topics()).list(tenant);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(FORMAT, "TENANT", "NAME", "BODIES", "SUBJECT");
            for (Template t : found) {
                String bodies = t.text() != null && t.html() != null ? "text,html" : t.text() != null ? "text" : "html";
                out.printf(FORMAT, Terminal.cut(t.tenant(), 16), Terminal.cut(t.name(), 32), bodies,
                        Terminal.cut(t.subject(), 60));
            }
            out.println(found.size() + " template(s)");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Removes a template (a tombstone): emails that name it afterwards wait for it as for a"
                    + " template not yet known (RETRY_SCHEDULED, until the tenant's maxErrorSeconds).")
    static final class Delete implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "T", required = true, description = "The tenant.")
        String tenant;

        @Option(names = "--name", paramLabel = "N", required = true, description = "The template's name.")
        String name;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String key;
            ProcessSettings settings = client.settings();
            try {
                key = new TemplateAdmin(client.kafka(settings), settings.topics()).delete(tenant, name);
            } catch (InvalidRecordException e) {
                throw new InvalidInputException(e.getMessage());
            }
            spec.commandLine().getOut().println("Deleted template " + Terminal.clean(key));
            return 0;
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = {"Renders a template here, as the mailer would when it sends, and prints the subject and"
                    + " both bodies. The template is the one in force (--tenant and --name; needs Kafka) or the one"
                    + " in --file (before it is published; no Kafka). A template that doesn't compile, or data that"
                    + " isn't a JSON object or renders past the limits, is exit status 2 with the reason and line.",
                    "Example: template preview --file invoice.json --data sample.json"})
    static final class Preview implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "T", description = "The tenant (with --name: its template in force).")
        String tenant;

        @Option(names = "--name", paramLabel = "N", description = "The template's name.")
        String name;

        @Option(names = "--file", paramLabel = "F",
                description = "Preview this template (as for template set --file) instead of one in force.")
        String file;

        @Option(names = "--data", paramLabel = "FILE",
                description = "The email's data: a JSON object (default: none, every variable renders empty).")
        String data;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (file == null && (tenant == null || name == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give --tenant and --name (a template in force) or --file");
            }
            Map<String, Object> values = data == null ? Map.of() : valid(() -> TemplateJson.data(
                    ConfigCommand.readInput(data, spec)), err, data);
            if (values == null) {
                return MailerCli.INVALID;
            }
            Template t;
            if (file != null) {
                t = valid(() -> TemplateAdmin.forPreview(tenant, name, ConfigCommand.readInput(file, spec)), err,
                        file);
                if (t == null) {
                    return MailerCli.INVALID;
                }
            } else {
                ProcessSettings settings = client.settings();
                Optional<Template> inForce = new TemplateAdmin(client.kafka(settings), settings.topics())
                        .get(tenant, name);
                if (inForce.isEmpty()) {
                    err.println("error: no template " + Terminal.clean(Template.keyOf(tenant, name)) + " in "
                            + settings.topics().templates());
                    return MailerCli.FAILED;
                }
                t = inForce.get();
            }
            Template template = t;
            RenderedContent r = valid(() -> TemplateAdmin.preview(template, values), err,
                    file != null ? file : Template.keyOf(tenant, name));
            if (r == null) {
                return MailerCli.INVALID;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Subject: " + Terminal.clean(r.subject()));
            out.println();
            out.println("--- text ---");
            out.println(r.text() == null ? "(none)" : lines(r.text()));
            out.println("--- html ---");
            out.println(r.html() == null ? "(none)" : lines(r.html()));
            return 0;
        }

        /** A body as it is, line by line, with terminal escapes and other control characters made harmless. */
        private static String lines(String body) {
            StringBuilder b = new StringBuilder();
            for (String line : body.split("\r?\n", -1)) {
                if (!b.isEmpty()) {
                    b.append('\n');
                }
                b.append(Terminal.clean(line));
            }
            return b.toString();
        }
    }

    /**
     * What {@code call} gives, or null after the reasons are printed on stderr: each broken rule, or the part and
     * line that doesn't compile, or why it doesn't render.
     */
    private static <T> T valid(java.util.function.Supplier<T> call, PrintWriter err, String what) {
        try {
            return call.get();
        } catch (InvalidRecordException e) {
            err.println("error: " + Terminal.clean(what) + " is invalid:");
            for (Violation v : e.violations()) {
                err.println("  " + Terminal.clean(v.field()) + ": " + Terminal.clean(v.reason()));
            }
        } catch (TemplateSyntaxException e) {
            err.println("error: " + Terminal.clean(what) + " does not compile: " + e.part() + ", line " + e.line()
                    + ": " + Terminal.clean(TemplateAdmin.reason(e)));
        } catch (TemplateRenderException e) {
            err.println("error: " + Terminal.clean(what) + " can't be rendered: " + Terminal.clean(e.getMessage()));
        }
        return null;
    }
}
