package io.github.kafkamailer.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mailer} command: runs the mailer, the demo, and the admin and producer commands. Exit status 0 on
 * success, 2 on bad usage or invalid input (with the reason on stderr), 1 when something else failed.
 */
@Command(name = "mailer", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A Kafka Streams mailer: emails in from a topic, out over SMTP or Microsoft Graph.",
        subcommands = {RunCommand.class, DemoCommand.class, TopicsCommand.class, ConfigCommand.class,
                SendCommand.class, StatusCommand.class, PendingCommand.class, DlqCommand.class, SuppressCommand.class,
                TemplateCommand.class,
                CommandLine.HelpCommand.class})
public final class MailerCli implements Runnable {
    public static final int INVALID = 2;
    public static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given output streams; for tests and {@link #main}. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new MailerCli());
        Version.applyToEveryCommand(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InvalidInputException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return INVALID;
            }
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILED;
        });
        return cli.execute(args);
    }
}
