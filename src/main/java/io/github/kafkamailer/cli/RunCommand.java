package io.github.kafkamailer.cli;

import io.github.kafkamailer.app.LogFormat;
import io.github.kafkamailer.app.MailerApp;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.metrics.MailerMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the mailer against an existing Kafka cluster, creating missing topics. Stops cleanly on SIGTERM or Ctrl-C.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--http-port", paramLabel = "N", description = "Port of the HTTP server (metrics, health).")
    Integer httpPort;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where Kafka Streams keeps its local state.")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        if (httpPort != null) {
            flags.put(ProcessSettings.HTTP_PORT, httpPort.toString());
        }
        if (stateDir != null) {
            flags.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        ProcessSettings settings = client.settings(flags);
        try {
            LogFormat.apply(settings);
            settings.httpPort();
            settings.secretsDirs();
            settings.secretsEnvPrefix();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        // When the mailer can't go on, the process exits with status 1 for its supervisor to restart it; the
        // shutdown hook below closes the mailer on the way out.
        MailerApp app = new MailerApp(settings, MailerApp.prometheusMetrics(), Clock.systemUTC(),
                MailerApp.defaultTransport(settings, Clock.systemUTC()), reason -> System.exit(MailerCli.FAILED));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "mailer-shutdown"));
        app.start();
        stopped.await();
        return 0;
    }
}
