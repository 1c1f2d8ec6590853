package io.github.kafkamailer.embedded;

import io.github.kafkamailer.app.MailerApp;
import io.github.kafkamailer.app.ProcessSettings;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything on one machine, in one process: an embedded Kafka broker, an embedded SMTP server that keeps what
 * it receives, a {@code default} config pointing at it, and the mailer. It prints where to look and each email
 * the SMTP server receives.
 */
public final class Demo implements AutoCloseable {
    /** Short, so that a first email shows up within seconds. */
    static final int DEMO_INTERVAL_SECONDS = 5;

    private final Path dataDir;
    private final int smtpPort;
    private final int httpPort;
    private final PrintStream out;
    private EmbeddedKafkaBroker broker;
    private EmbeddedSmtpServer smtp;
    private MailerApp mailer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private String consolePassword;

    public Demo(Path dataDir, int smtpPort, int httpPort, PrintStream out) {
        this.dataDir = dataDir;
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
        this.out = out;
    }

    public void start() throws InterruptedException {
        out.println("Starting the embedded Kafka broker (KRaft) in " + dataDir + " ...");
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"));
        smtp = EmbeddedSmtpServer.start(smtpPort);
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("state").toString());
        p.setProperty(ProcessSettings.HTTP_PORT, Integer.toString(httpPort));
        // The admin console is the first thing a newcomer should see: on, with a password for this run only.
        consolePassword = oneTimePassword();
        p.setProperty(ProcessSettings.CONSOLE_PASSWORD, consolePassword);
        ProcessSettings settings = ProcessSettings.of(p);
        mailer = new MailerApp(settings, MailerApp.prometheusMetrics(), Clock.systemUTC(),
                MailerApp.defaultTransport(settings, Clock.systemUTC()));
        mailer.start();
        publishDefaultConfig(settings);
        awaitRunning(Duration.ofSeconds(60));
        String jar = launchCommand();
        out.println();
        out.println("The mailer is running.");
        out.println("  Admin console: http://127.0.0.1:" + mailer.httpPort() + "/console/");
        out.println("    password: " + (System.getenv(ProcessSettings.CONSOLE_PASSWORD_ENV) != null
                ? "the one in " + ProcessSettings.CONSOLE_PASSWORD_ENV : consolePassword + "  (this run only)"));
        out.println("  Kafka bootstrap servers: " + broker.bootstrapServers());
        out.println("  SMTP server (keeps what it receives): 127.0.0.1:" + smtp.port());
        out.println("  Metrics and health: http://127.0.0.1:" + mailer.httpPort() + "/metrics, /health, /ready");
        out.println("  Sending runs every " + DEMO_INTERVAL_SECONDS + " s (config of tenant 'default').");
        out.println();
        out.println("Send a test email from another terminal:");
        out.println("  " + jar + " send --bootstrap-servers " + broker.bootstrapServers()
                + " --to bob@example.com --subject \"Hello from Kafka\" --text \"It works.\"");
        out.println("See the config in force:");
        out.println("  " + jar + " config get --bootstrap-servers " + broker.bootstrapServers() + " --tenant default");
        out.println();
        out.println("Emails received by the SMTP server appear below. Press Ctrl-C to stop.");
    }

    /**
     * How to run the mailer's other commands, so the printed commands can be pasted as they are: the production
     * jar beside this demo jar when there is one (target/mailer.jar beside target/mailer-demo.jar), else this jar.
     */
    static String launchCommand() {
        try {
            Path self = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (self.toString().endsWith(".jar")) {
                Path production = self.resolveSibling("mailer.jar");
                if (java.nio.file.Files.isRegularFile(production)) {
                    self = production;
                }
                Path cwd = Path.of("").toAbsolutePath();
                Path shown = self.startsWith(cwd) ? cwd.relativize(self) : self;
                return "java -jar " + shown;
            }
        } catch (Exception e) {
            // Not started from a jar (tests, IDE): fall back to the documented command.
        }
        return "java -jar target/mailer.jar";
    }

    /** 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I): easy to type from the terminal. */
    static String oneTimePassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** The admin console's password for this run (unless MAILER_ADMIN_PASSWORD sets one). */
    public String consolePassword() {
        return consolePassword;
    }

    public int httpPort() {
        return mailer.httpPort();
    }

    /** How many emails the demo's SMTP server has received. */
    public int receivedCount() {
        return smtp.received().size();
    }

    private void publishDefaultConfig(ProcessSettings settings) throws InterruptedException {
        String config = "{\"enabled\":true,\"smtpHost\":\"127.0.0.1\",\"smtpPort\":" + smtp.port()
                + ",\"postmaster\":\"donotreply@demo.example\",\"forcePostmaster\":true,"
                + "\"campaignIntervalSeconds\":" + DEMO_INTERVAL_SECONDS + "}";
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(settings.topics().config(), "default", config)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot publish the demo's config: " + e.getMessage(), e);
        }
    }

    private void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (mailer.streams().state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the mailer did not reach RUNNING within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Prints each email the SMTP server receives, until {@link #close()}. */
    public void printReceivedUntilStopped() throws InterruptedException {
        int shown = 0;
        while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
            List<MimeMessage> received = smtp.received();
            for (; shown < received.size(); shown++) {
                out.println("Received " + EmbeddedSmtpServer.describe(received.get(shown)));
                out.flush();
            }
        }
    }

    /**
     * What {@code mailer demo} does: starts the demo, prints each email received until the process is stopped
     * (Ctrl-C), then closes everything. The CLI calls it by name ({@code cli.DemoCommand}), so that the production
     * jar, which leaves this package out, still starts and says where the demo is.
     */
    public static void runUntilStopped(Path dataDir, int smtpPort, int httpPort, PrintStream out)
            throws InterruptedException {
        Demo demo = new Demo(dataDir, smtpPort, httpPort, out);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        demo.start();
        demo.printReceivedUntilStopped();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public int smtpPort() {
        return smtp.port();
    }

    @Override
    public void close() {
        stopped.countDown();
        if (mailer != null) {
            mailer.close(Duration.ofSeconds(10));
        }
        if (smtp != null) {
            smtp.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

}
