package io.github.kafkamailer.cli;

import io.github.kafkamailer.app.LogFormat;
import io.github.kafkamailer.app.MailerApp;
import io.github.kafkamailer.app.ProcessSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the mailer against an existing Kafka cluster, creating missing topics. Stops cleanly on"
                + " SIGTERM or Ctrl-C.", "While no broker answers, it waits, saying so once per minute."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    static final Duration SAY_EVERY = Duration.ofMinutes(1);

    @Mixin
    ClientOptions client;

    @Option(names = "--http-port", paramLabel = "N", description = "Port of the HTTP server (metrics, health).")
    Integer httpPort;

    @Option(names = "--management-port", paramLabel = "N",
            description = "Port of a second HTTP server serving only /health, /ready and /metrics, on threads of its"
                    + " own (default: none).")
    Integer managementPort;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where Kafka Streams keeps its local state.")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        if (httpPort != null) {
            flags.put(ProcessSettings.HTTP_PORT, httpPort.toString());
        }
        if (managementPort != null) {
            flags.put(ProcessSettings.HTTP_MANAGEMENT_PORT, managementPort.toString());
        }
        if (stateDir != null) {
            flags.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        // Every mailer.* key checked here, before Kafka is asked anything: exit 2 with the key and the reason.
        ProcessSettings settings = client.settings(flags);
        try {
            settings.peerToken();
            io.github.kafkamailer.app.UnsubscribeSetup.tokens(settings);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        LogFormat.apply(settings);
        CliLogging.runningMailer(client.verbose);
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        MailerApp[] app = new MailerApp[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            synchronized (app) {
                if (app[0] != null) {
                    app[0].close();
                }
            }
            stopped.countDown();
        }, "mailer-shutdown"));
        if (!new BrokerWait(client.kafka(settings), SAY_EVERY, LOG::warn).await(stopping::get)) {
            return 0;
        }
        synchronized (app) {
            if (stopping.get()) {
                return 0;
            }
            // When the mailer can't go on, the process exits with status 1 for its supervisor to restart it; the
            // shutdown hook above closes the mailer on the way out.
            app[0] = new MailerApp(settings, MailerApp.prometheusMetrics(), Clock.systemUTC(),
                    MailerApp.defaultTransport(settings, Clock.systemUTC()), reason -> System.exit(MailerCli.FAILED));
            app[0].start();
        }
        stopped.await();
        return 0;
    }
}
