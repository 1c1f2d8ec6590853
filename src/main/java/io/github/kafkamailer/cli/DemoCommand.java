package io.github.kafkamailer.cli;

import io.github.kafkamailer.embedded.Demo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts everything on this machine, in one process: an embedded Kafka broker, an embedded SMTP server that keeps what it receives, a 'default' config pointing at it, and the mailer. Prints where to look, the command that sends a test email, and each email received.")
final class DemoCommand implements Callable<Integer> {
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
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("mailer-demo");
        PrintStream out = System.out;
        Demo demo = new Demo(dir, smtpPort, httpPort, out);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        demo.start();
        demo.printReceivedUntilStopped();
        return 0;
    }
}
