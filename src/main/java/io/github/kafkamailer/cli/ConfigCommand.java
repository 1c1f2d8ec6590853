package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.ConfigConflictException;
import io.github.kafkamailer.admin.ConfigEdit;
import io.github.kafkamailer.admin.ConfigVersion;
import io.github.kafkamailer.admin.ConfigWarnings;
import io.github.kafkamailer.app.EnvironmentSecrets;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.ConfigField;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Secret;
import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.Violation;
import io.github.kafkamailer.probe.ConfigProbe;
import io.github.kafkamailer.probe.ProbeReport;
import io.github.kafkamailer.probe.ProbeStep;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.transport.oauth.MsalTokenSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Reads, changes and tests the per-tenant config records of the config topic.",
        subcommands = {ConfigCommand.Set.class, ConfigCommand.Get.class, ConfigCommand.History.class,
                ConfigCommand.Test.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: set, get, history or test");
    }

    @Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Changes a tenant's config and publishes it: the record in force, with the fields given by"
                    + " --set and --unset changed (secrets not mentioned are kept), or the record of --file (secrets it"
                    + " leaves out, or gives as ********, are kept too). The result is checked against every rule"
                    + " first: an invalid one is not published, each bad field is named on stderr, exit status 2.",
                    "A change made from the record in force (--set, --unset, or a --file that leaves secrets out) is"
                            + " published only if that record is still in force when it is published: if another"
                            + " change came in since it was read, nothing is published and the newer change is named,"
                            + " exit status 1. --if-version N makes any change wait on no one else's: it is published"
                            + " only if version N (from config get or config history) is still the one in force.",
                    "Example: config set --tenant acme --set campaignIntervalSeconds=60"
                            + " --set smtpPassword=@/run/secrets/smtp --unset smtpUser"})
    static final class Set implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--tenant", paramLabel = "T", defaultValue = "default",
                description = "Tenant id, the record's key (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Option(names = "--file", paramLabel = "F",
                description = "A config record (JSON), e.g. from config get --json; - reads stdin.")
        String file;

        @Option(names = "--set", paramLabel = "FIELD=VALUE", mapFallbackValue = "",
                description = "Sets one field (repeatable). VALUE @PATH reads it from a file (trailing newline"
                        + " dropped): the way to give a secret without it showing in the shell history."
                        + " Fields: ${COMPLETION-CANDIDATES}.", completionCandidates = FieldNames.class)
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = "--unset", paramLabel = "FIELD", split = ",",
                description = "Takes a field back to its default (repeatable, or comma-separated).")
        List<String> unset = new java.util.ArrayList<>();

        @Option(names = "--if-version", paramLabel = "N",
                description = "Publishes only if the tenant's config is still at version N (config get prints it;"
                        + " config history's OFFSET); else exit 1, naming the newer change. -1: only if the tenant"
                        + " has never had a config. Without it, a --file with every secret replaces whatever is in"
                        + " force.")
        Long ifVersion;

        @Option(names = "--check", description = "Only validate (and warn); publish nothing.")
        boolean checkOnly;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (file == null && set.isEmpty() && unset.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give --file, or fields to change with --set / --unset");
            }
            Map<String, Object> record = file == null ? null : parseRecord(readInput(file, spec), file, err);
            if (file != null && record == null) {
                return MailerCli.INVALID;
            }
            Map<String, String> edits = withFileValues(set);
            List<String> keptSecrets = record == null ? List.of() : secretsLeftOut(record);
            if (record != null) {
                // Checked before Kafka is asked anything: a record wrong in itself is refused at once, offline.
                MailerConfig alone;
                try {
                    alone = ConfigEdit.keepingSecrets(record, withPlaceholderSecrets());
                } catch (InvalidRecordException e) {
                    printViolations(err, "the config record in " + file + " is invalid, nothing was published:", e);
                    return MailerCli.INVALID;
                }
                if (checkOnly && edits.isEmpty() && unset.isEmpty()) {
                    for (String w : ConfigWarnings.of(alone)) {
                        err.println("warning: " + w);
                    }
                    out.println("The config record in " + file + " is valid (transport " + alone.transportKind() + ")."
                            + (keptSecrets.isEmpty() ? "" : " It leaves out " + String.join(", ", keptSecrets)
                            + ": publishing keeps the tenant's.") + " Nothing was published.");
                    return 0;
                }
            }
            boolean needsInForce = record == null || !keptSecrets.isEmpty();
            boolean needsCurrent = needsInForce || ifVersion != null;
            ProcessSettings settings = needsCurrent || !checkOnly ? client.settings() : null;
            MailerConfig result;
            MailerConfig inForce = null;
            // The version the change is made from: it is published only if that is still the one in force.
            Long read = ifVersion;
            try (ConfigAdmin admin = settings == null ? null
                    : new ConfigAdmin(client.kafka(settings), settings.topics())) {
                if (needsCurrent) {
                    ConfigAdmin.Current current = admin.current(tenant);
                    if (ifVersion != null) {
                        current.requireVersion(ifVersion);
                    }
                    inForce = current.config();
                    read = current.version();
                }
                try {
                    MailerConfig base = record != null ? ConfigEdit.keepingSecrets(record, inForce) : inForce;
                    if (base == null && record == null && edits.isEmpty() && !unset.isEmpty()) {
                        err.println("error: tenant '" + tenant + "' has no config in force to unset fields of");
                        return MailerCli.INVALID;
                    }
                    result = edits.isEmpty() && unset.isEmpty() ? base
                            : ConfigEdit.apply(base, edits, new LinkedHashSet<>(unset));
                } catch (InvalidRecordException e) {
                    printViolations(err, "the config of tenant '" + tenant + "' would be invalid, nothing was published:",
                            e);
                    return MailerCli.INVALID;
                }
                for (String w : ConfigWarnings.of(result)) {
                    err.println("warning: " + w);
                }
                if (checkOnly) {
                    out.println("The config is valid (transport " + result.transportKind() + ")"
                            + (inForce == null ? "." : "; changed from the one in force: "
                            + describe(ConfigEdit.changedFields(inForce, result))) + " Nothing was published.");
                    return 0;
                }
                ConfigVersion v = read == null ? admin.publish(tenant, result) : admin.publish(tenant, result, read);
                out.println("Config of tenant '" + tenant + "' published to " + settings.topics().config()
                        + " (offset " + v.offset() + "); changed: " + describe(v.changedFields())
                        + ". The mailer applies it without a restart.");
                return 0;
            } catch (ConfigConflictException e) {
                err.println("error: " + Terminal.clean(e.getMessage()) + ". See it with config get --tenant " + tenant
                        + ", then make the change again.");
                return MailerCli.FAILED;
            }
        }

        /** {@code @PATH} values read from their file, so a secret need not be typed on the command line. */
        private Map<String, String> withFileValues(Map<String, String> given) {
            Map<String, String> out = new LinkedHashMap<>();
            given.forEach((k, v) -> {
                if (v != null && v.startsWith("@") && v.length() > 1) {
                    String content = new String(readInput(v.substring(1), spec), StandardCharsets.UTF_8);
                    out.put(k, content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                            : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content);
                } else {
                    out.put(k, v);
                }
            });
            return out;
        }

        /** The secret fields a record leaves out (or redacts): those of the config in force are kept. */
        static List<String> secretsLeftOut(Map<String, Object> record) {
            List<String> out = new java.util.ArrayList<>();
            for (ConfigField f : ConfigField.values()) {
                Object v = record.get(f.jsonName());
                if (f.isSecret() && (v == null || Secret.REDACTED.equals(v))) {
                    out.add(f.jsonName());
                }
            }
            return out;
        }

        /** A stand-in for the config in force with every secret set: to check a record's other fields offline. */
        private static MailerConfig withPlaceholderSecrets() {
            Secret s = Secret.ofNullable("placeholder");
            return new MailerConfig(false, "h", 25, null, s, false, false, null, null, s, false, null, null, false,
                    0, 1, 1, false, false, 1, null, null, null, null, 993, null, s, true, false, 60, null, 25,
                    null, s, false, false);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints the tenant's config in force (its last valid record): every field with its effective"
                    + " value, secrets shown as ********; with --json, a record without the secrets that"
                    + " config set --file takes back (the secrets in force are kept). On stderr, its version: the"
                    + " N of config set --if-version N.")
    static final class Get implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--tenant", paramLabel = "T", defaultValue = "default",
                description = "Tenant id (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Option(names = "--json", description = "A record for config set --file: every field but the secrets.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ProcessSettings settings = client.settings();
            try (ConfigAdmin admin = new ConfigAdmin(client.kafka(settings), settings.topics())) {
                Optional<ConfigVersion> inForce = admin.inForce(tenant);
                Optional<String> rejected = admin.rejectedAfterInForce(tenant);
                if (inForce.isEmpty()) {
                    spec.commandLine().getErr().println("error: no valid config for tenant '" + tenant + "' in "
                            + settings.topics().config() + rejected.map(r -> "; " + r).orElse(""));
                    return MailerCli.FAILED;
                }
                MailerConfig c = inForce.get().config();
                spec.commandLine().getOut().println(json ? ConfigJson.writeWithoutSecrets(c) : ConfigJson.writeRedacted(c));
                // On stderr, so that stdout stays a record config set --file takes back.
                spec.commandLine().getErr().println("version " + inForce.get().offset() + " (published "
                        + inForce.get().at() + "): config set --if-version " + inForce.get().offset()
                        + " publishes only if it is still the one in force");
                rejected.ifPresent(r -> spec.commandLine().getErr().println("note: " + Terminal.clean(r)));
                return 0;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Lists the tenant's config versions still on the (compacted) config topic, oldest first:"
                    + " when, at which offset, and which fields changed (never the values of secrets).")
    static final class History implements Callable<Integer> {
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
            PrintWriter out = spec.commandLine().getOut();
            try (ConfigAdmin admin = new ConfigAdmin(client.kafka(settings), settings.topics())) {
                List<ConfigVersion> versions = admin.history(tenant);
                if (versions.isEmpty()) {
                    spec.commandLine().getErr().println("error: no valid config for tenant '" + tenant + "' in "
                            + settings.topics().config());
                    return MailerCli.FAILED;
                }
                out.printf("%-8s %-24s %s%n", "OFFSET", "PUBLISHED", "CHANGED");
                for (ConfigVersion v : versions) {
                    out.printf("%-8d %-24s %s%n", v.offset(), v.at(), describe(v.changedFields()));
                }
                admin.rejectedAfterInForce(tenant).ifPresent(r -> spec.commandLine().getErr()
                        .println("note: " + Terminal.clean(r)));
                return 0;
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Tests a tenant's config now, as the mailer would use it, and prints each step with its"
                    + " outcome: DNS, CONNECT, TLS (certificate and expiry), STARTTLS, AUTH (mechanism); or the OAuth"
                    + " TOKEN (error code only) and a GRAPH call; with --send-to, a real test email (SEND) and the"
                    + " server's reply. Exit 0 when every step works, 1 naming the failing step.",
                    "Secret references (${env:...}, ${file:...}) are resolved here, where the command runs."})
    static final class Test implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--tenant", paramLabel = "T", defaultValue = "default",
                description = "Tenant whose config in force is tested (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Option(names = "--file", paramLabel = "F",
                description = "Test this record instead (not published); secrets it leaves out are the tenant's.")
        String file;

        @Option(names = "--send-to", paramLabel = "ADDRESS", description = "Also send a test email to this address.")
        String sendTo;

        @Spec
        CommandSpec spec;

        /** For tests: how to reach the servers (trust stores of stand-ins). */
        static Supplier<ConfigProbeFactory> probes = () -> (clock, timeout) ->
                new ConfigProbe(new MsalTokenSource(clock), (SSLSocketFactory) SSLSocketFactory.getDefault(), clock,
                        timeout);

        interface ConfigProbeFactory {
            ConfigProbe create(Clock clock, Duration timeout);
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, Object> record = file == null ? null : parseRecord(readInput(file, spec), file, err);
            if (file != null && record == null) {
                return MailerCli.INVALID;
            }
            MailerConfig config;
            if (record != null && Set.secretsLeftOut(record).isEmpty()) {
                config = parse(record, null, err);
            } else {
                ProcessSettings settings = client.settings();
                MailerConfig inForce;
                try (ConfigAdmin admin = new ConfigAdmin(client.kafka(settings), settings.topics())) {
                    inForce = admin.inForce(tenant).map(ConfigVersion::config).orElse(null);
                }
                if (record == null && inForce == null) {
                    err.println("error: no valid config for tenant '" + tenant + "' in " + settings.topics().config()
                            + " (give --file to test a record before publishing it)");
                    return MailerCli.FAILED;
                }
                config = record == null ? inForce : parse(record, inForce, err);
            }
            if (config == null) {
                return MailerCli.INVALID;
            }
            try {
                config = SecretReferences.resolve(config, EnvironmentSecrets.of(client.settings()));
            } catch (InvalidRecordException e) {
                for (Violation v : e.violations()) {
                    step(out, new ProbeStep("SECRETS", false, v.field() + ": " + v.reason()
                            + " (here, where config test runs)"));
                }
                err.println("error: config test failed at SECRETS");
                return MailerCli.FAILED;
            }
            for (String w : ConfigWarnings.of(config)) {
                err.println("warning: " + w);
            }
            out.println("Testing the config of " + (file != null ? file : "tenant '" + tenant + "'") + " ("
                    + config.transportKind() + ", timeout " + client.timeout.toSeconds() + " s per step):");
            out.flush();
            ProbeReport report = probes.get().create(Clock.systemUTC(), client.timeout).run(config, sendTo);
            String server = null;
            for (ProbeStep s : report.steps()) {
                if (s.server() != null && !s.server().equals(server)) {
                    server = s.server();
                    out.println(server.equals(StatusEvent.FALLBACK_SERVER)
                            ? " Fallback server " + config.fallbackSmtpHost() + ":" + config.fallbackSmtpPort() + ":"
                            : " Primary server (" + config.transportKind() + "):");
                }
                step(out, s);
            }
            if (report.ok()) {
                out.println(config.hasFallback() ? "The config works, on both servers." : "The config works.");
                return 0;
            }
            err.println("error: config test failed at " + report.failed().map(s -> s.server() == null ? s.name()
                    : s.name() + " (" + s.server() + " server)").orElse("?"));
            return MailerCli.FAILED;
        }

        private static MailerConfig parse(Map<String, Object> record, MailerConfig inForce, PrintWriter err) {
            try {
                return ConfigEdit.keepingSecrets(record, inForce);
            } catch (InvalidRecordException e) {
                printViolations(err, "the config record is invalid:", e);
                return null;
            }
        }

        private static void step(PrintWriter out, ProbeStep s) {
            out.printf("  %-4s %-9s %s%n", s.ok() ? "ok" : "FAIL", s.name(), Terminal.clean(s.detail()));
            out.flush();
        }
    }

    /** The config fields, as declared once in {@link ConfigField}. */
    static final class FieldNames extends java.util.ArrayList<String> {
        FieldNames() {
            for (ConfigField f : ConfigField.values()) {
                add(f.jsonName());
            }
        }
    }

    static String describe(List<String> fields) {
        return fields.isEmpty() ? "nothing" : String.join(", ", fields);
    }

    /** The decoded record, or null after naming what is wrong on {@code err}. */
    static Map<String, Object> parseRecord(byte[] bytes, String file, PrintWriter err) {
        try {
            return ConfigJson.fields(bytes);
        } catch (InvalidRecordException e) {
            printViolations(err, "the config record in " + file + " is invalid, nothing was published:", e);
            return null;
        }
    }

    static void printViolations(PrintWriter err, String headline, InvalidRecordException e) {
        err.println("error: " + headline);
        for (Violation v : e.violations()) {
            err.println("  " + v.field() + ": " + Terminal.clean(v.reason()));
        }
    }

    /** A file's bytes, or stdin's for {@code -}. */
    static byte[] readInput(String path, CommandSpec spec) {
        try {
            if ("-".equals(path)) {
                InputStream in = System.in;
                return in.readAllBytes();
            }
            return Files.readAllBytes(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("cannot read " + path + ": " + e.getMessage());
        }
    }
}
