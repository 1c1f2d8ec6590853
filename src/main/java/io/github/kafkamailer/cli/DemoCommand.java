package io.github.kafkamailer.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the demo, which lives in {@code io.github.kafkamailer.embedded} with the embedded broker and SMTP server.
 * The production jar (target/mailer.jar) leaves that package and the broker out, so the CLI never links it: it
 * looks the demo up by name and, when it is not there, says where it is (exit 2).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts everything on this machine, in one process: an embedded Kafka broker, an embedded SMTP server that keeps what it receives, a 'default' config pointing at it, and the mailer. Prints where to look, the command that sends a test email, and each email received."
                + " Only in the demo jar (./mailer demo runs it; java -jar target/mailer-demo.jar demo).")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_CLASS = "io.github.kafkamailer.embedded.Demo";
    static final String NOT_IN_THIS_JAR = "the demo is not in this jar: run ./mailer demo,"
            + " or java -jar target/mailer-demo.jar demo";

    /** The class holding {@code runUntilStopped}; another name in tests. */
    private final String demoClass;

    DemoCommand() {
        this(DEMO_CLASS);
    }

    DemoCommand(String demoClass) {
        this.demoClass = demoClass;
    }

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker and the mailer keep their data (default: a new temporary folder).")
    Path dataDir;

    @Option(names = "--smtp-port", paramLabel = "N", defaultValue = "0",
            description = "Port of the embedded SMTP server (default: a free port).")
    int smtpPort;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "0",
            description = "Port of the metrics and health endpoints (default: a free port).")
    int httpPort;

    @Override
    public Integer call() throws Exception {
        Method run = demoEntryPoint();
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("mailer-demo");
        try {
            run.invoke(null, dir, smtpPort, httpPort, System.out);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NoClassDefFoundError missing) {
                // The demo is there but not the broker it starts: a jar put together by hand.
                throw new InvalidInputException(NOT_IN_THIS_JAR + " (missing " + missing.getMessage() + ")");
            }
            throw cause instanceof Exception ex ? ex : e;
        }
        return 0;
    }

    /** The demo's entry point, or {@link InvalidInputException} (exit 2) saying where the demo is. */
    private Method demoEntryPoint() {
        try {
            return Class.forName(demoClass).getMethod("runUntilStopped", Path.class, int.class, int.class,
                    PrintStream.class);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidInputException(NOT_IN_THIS_JAR);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(demoClass + " has no runUntilStopped(Path, int, int, PrintStream)", e);
        }
    }
}
