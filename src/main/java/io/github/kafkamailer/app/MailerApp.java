package io.github.kafkamailer.app;

import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.topology.MailerTopology;
import io.github.kafkamailer.failure.RetryPolicy;
import io.github.kafkamailer.http.ApiGuard;
import io.github.kafkamailer.http.HttpEndpoints;
import io.github.kafkamailer.http.PendingApi;
import io.github.kafkamailer.console.AdminConsole;
import io.github.kafkamailer.console.ConfigOutcomes;
import io.github.kafkamailer.console.ConsoleSettings;
import io.github.kafkamailer.topology.ConfigListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import io.github.kafkamailer.sending.SenderLanes;
import io.github.kafkamailer.sending.TemplateRendering;
import io.github.kafkamailer.sending.TenantActivity;
import io.github.kafkamailer.topology.HandoverSettings;
import io.github.kafkamailer.topology.SendingGate;
import io.github.kafkamailer.topology.SendingSettings;
import io.github.kafkamailer.topology.TemplateTable;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.RoutingTransport;
import io.github.kafkamailer.transport.graph.GraphClients;
import io.github.kafkamailer.transport.graph.GraphDraftTransport;
import io.github.kafkamailer.transport.graph.GraphSendTransport;
import io.github.kafkamailer.transport.oauth.MsalTokenSource;
import io.github.kafkamailer.transport.oauth.TokenSource;
import io.github.kafkamailer.transport.smtp.SmtpTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds the transports, the topology and Kafka Streams, and runs them. */
public final class MailerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailerApp.class);

    private final ProcessSettings settings;
    private final MailerMetrics metrics;
    private final Clock clock;
    private final MailTransport transport;
    private Admin admin;
    private RetentionApplier retention;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HttpEndpoints http;
    /** Probes only, on threads of their own (mailer.http.management.port); null when off. */
    private HttpEndpoints management;
    private SenderLanes senders;
    /** Publishes what a task let go had in flight, for its next owner; null before start. */
    private KafkaHandoverPublisher handovers;
    private io.github.kafkamailer.topology.HighLookahead lookahead;
    private final SendingGate gate;
    private final TenantActivity activity = new TenantActivity();
    private final ThreadFailureWatch failures;
    /** What the topics the mailer writes emails to must allow: the outbox's limit plus headroom; 0 before start. */
    private int recordLimit;
    /** The outbox's max.message.bytes: the most characters a rendered template may come to; 0 before start. */
    private int outboxLimit;
    /** The templates in force, compiled: filled by the topology, read by the sender lanes. */
    private final TemplateTable templates = new TemplateTable();
    /** Tells the admin console whether the config records it publishes are applied or rejected. */
    private final ConfigOutcomes configOutcomes;
    private AdminConsole console;
    private io.github.kafkamailer.http.StatusApi statusApi;
    /** Signs the mailer's own unsubscribe links; empty without mailer.unsubscribe.*. */
    private Optional<io.github.kafkamailer.unsubscribe.UnsubscribeTokens> unsubscribeTokens = Optional.empty();
    /** Writes the one-click unsubscribes' suppressions; null without mailer.unsubscribe.* or HTTP. */
    private KafkaSuppressionWriter unsubscribes;
    /** How long each phase of the start took: said once started, once running, once the first email went. */
    private final StartPhases phases = StartPhases.fromJvmStart();

    public MailerApp(ProcessSettings settings, MailerMetrics metrics, Clock clock, MailTransport transport) {
        this(settings, metrics, clock, transport, reason -> LOG.error("Fatal, but this mailer runs in-process"
                + " without an exit action: it stays up, unhealthy ({})", reason));
    }

    /**
     * @param fatal what to do when the mailer can't go on (stream threads failing again and again, Kafka Streams in
     *              ERROR), told why: {@code run} exits with status 1 for the supervisor to restart the process;
     *              tests record it. Called at most once, on a thread of its own.
     */
    public MailerApp(ProcessSettings settings, MailerMetrics metrics, Clock clock, MailTransport transport,
                     Consumer<String> fatal) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.transport = new FirstSendWatch(transport, phases);
        this.gate = new SendingGate(settings.inFlightMaxBytes());
        this.failures = new ThreadFailureWatch(clock, fatal);
        this.configOutcomes = new ConfigOutcomes(clock);
    }

    /** The registry /metrics serves: the mailer's meters, Kafka Streams' and the JVM's. */
    public static MailerMetrics prometheusMetrics() {
        return new MailerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** The transports of this build, as production uses them, with tokens from Microsoft identity (msal4j). */
    public static MailTransport defaultTransport(ProcessSettings settings, Clock clock) {
        return defaultTransport(settings, clock, new MsalTokenSource(clock));
    }

    /**
     * SMTP (basic auth, or XOAUTH2 for {@code useOAuth}), Graph {@code sendMail} for {@code useGraphApi}, and
     * Graph drafts of {@code DRAFT} emails for any tenant with Graph credentials; tokens from {@code tokens}.
     */
    public static MailTransport defaultTransport(ProcessSettings settings, Clock clock, TokenSource tokens) {
        SmtpTransport smtp = new SmtpTransport(clock, settings.smtpTimeout(),
                (SSLSocketFactory) SSLSocketFactory.getDefault(), tokens);
        GraphClients graph = new GraphClients(tokens, clock, GraphClients.Limits.defaults());
        return new RoutingTransport(Map.of(TransportKind.SMTP, smtp, TransportKind.SMTP_OAUTH, smtp,
                TransportKind.GRAPH, new GraphSendTransport(graph, clock)),
                new GraphDraftTransport(graph, clock));
    }

    /** Creates the missing topics, then starts the stream; returns once it is started (not yet running). */
    public void start() throws InterruptedException {
        TopicNames topics = settings.topics();
        // First the settings that can be wrong without Kafka, so that a typo fails before anything is created.
        settings.checked();
        EnvironmentSecrets secrets = EnvironmentSecrets.of(settings);
        Properties adminProps = new Properties();
        adminProps.putAll(settings.kafkaProperties());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        admin = Admin.create(onlyAdminProps(adminProps));
        phases.done("JVM and settings");
        String applicationId = streamsConfig().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        // Whether this instance starts the service or joins a running one: asked before joining the group, but
        // beside the topic checks, which it doesn't need (measured: the two one after the other took ~1 s).
        java.util.concurrent.Future<java.time.Instant> serviceStartLater = ServiceStart.determineBeside(admin,
                applicationId, adminProps, clock, Duration.ofSeconds(30));
        List<String> created = TopicCreator.createMissing(admin, TopicsFile.load(settings), Duration.ofSeconds(60));
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }
        phases.done("topics created");
        checkAndSizeTopics(topics);
        RepartitionAhead.createIfMissing(admin, applicationId, topics, streamsConfig(), Duration.ofSeconds(60));
        phases.done("topics checked");
        retention = new RetentionApplier(admin, topics);
        unsubscribeTokens = UnsubscribeSetup.tokens(settings);
        MailTransport transport = TemplateRendering.around(UnsubscribeSetup.around(this.transport, settings,
                unsubscribeTokens), templates, outboxLimit);
        senders = new SenderLanes(transport, settings.sendDeadline(), settings.sendMaxConnections());
        metrics.senderConnections(senders::connectionsInUse, senders::connectionsWaiting);
        java.time.Instant serviceStart = ServiceStart.await(serviceStartLater);
        phases.done("service start known");
        SendingSettings run = new SendingSettings(transport, topics, metrics, clock, serviceStart, senders, gate,
                new RetryPolicy(() -> ThreadLocalRandom.current().nextDouble()), settings.batchSize(),
                settings.batchMaxBytes(), Duration.ofSeconds(10), activity);
        // HTTP first: its port is this instance's application.server, which peers use for /api/pending.
        startHttp();
        phases.done("http");
        Properties config = streamsConfig();
        handovers = new KafkaHandoverPublisher(config);
        ConfigListener configListener = ConfigListener.all(retention, new ConfigOutcomesListener(configOutcomes));
        MailerTopology topology = new MailerTopology(topics, metrics, configListener,
                run.withHandover(HandoverSettings.of(handovers, settings.sendDeadline())), settings.tick(), secrets)
                .withTemplates(templates);
        streams = new KafkaStreams(topology.build(config), config);
        streams.setUncaughtExceptionHandler(failures::threadFailed);
        streams.setStateListener((newState, oldState) -> {
            failures.stateChanged(newState);
            if (newState == KafkaStreams.State.RUNNING) {
                phases.streamsRunning();
            }
        });
        bindMeters();
        phases.done("topology built");
        streams.start();
        phases.done("Kafka Streams started (config table read)");
        if (settings.highLookahead()) {
            lookahead = LookaheadSetup.start(config, topics.outbox(), streams, admin, clock, topology.highInbox());
        }
        phases.logStarted();
        LOG.info("Mailer started: outbox={}, config={}, bootstrap={}{}", topics.outbox(), topics.config(),
                settings.bootstrapServers(), (http == null ? "" : ", http=" + settings.httpBind() + ":" + http.port())
                        + (management == null ? "" : ", management=" + settings.httpBind() + ":" + management.port()));
    }

    /**
     * Refuses a config topic that is not compacted; then gives the topics the mailer writes emails to (and, through
     * {@link #streamsConfig()}, its producer and the internal topics Streams creates) the outbox's limit plus
     * headroom ({@link RecordSizes}).
     */
    private void checkAndSizeTopics(TopicNames topics) throws InterruptedException {
        Duration timeout = Duration.ofSeconds(60);
        ConfigTopicCheck.requireCompacted(admin, topics.config(), timeout);
        outboxLimit = RecordSizes.outboxLimit(admin, topics.outbox(), timeout);
        recordLimit = RecordSizes.withHeadroom(outboxLimit);
        List<String> carriers = new java.util.ArrayList<>(List.of(topics.retry(), topics.dlq()));
        carriers.addAll(RecordSizes.internalTopics(admin,
                streamsConfig().getProperty(StreamsConfig.APPLICATION_ID_CONFIG), timeout));
        RecordSizes.raise(admin, carriers, recordLimit, timeout);
    }

    private void bindMeters() {
        MeterRegistry registry = metrics.registry();
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    private void startHttp() {
        Supplier<String> scrape = metrics.registry() instanceof PrometheusMeterRegistry p ? p::scrape : () -> "";
        startManagement(scrape);
        int port = settings.httpPort();
        if (port < 0) {
            return;
        }
        Optional<String> password = settings.consolePassword(System.getenv());
        Optional<String> token = settings.peerToken().or(() -> password.map(ApiGuard::tokenFromPassword));
        // The JDK's server sends headers and body in two writes; with Nagle's algorithm on, the body then waits for
        // the client's delayed ACK: measured, a status lookup took 48 ms at p50 that way, 4 ms with TCP_NODELAY.
        // Read once, when the first server is made: set before it, unless the operator set it.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            http = new HttpEndpoints(settings.httpBind(), port, scrape, this::isAlive, this::isRunning)
                    .apiGuard(new ApiGuard(token, exchange -> console != null && console.signedIn(exchange)));
            StoreQueries stores = new StoreQueries(() -> streams);
            PendingApi pending = new PendingApi(() -> streams, stores, activity, clock, advertisedHttpAddress(),
                    Duration.ofSeconds(5), token);
            statusApi = new io.github.kafkamailer.http.StatusApi(stores, clock, advertisedHttpAddress(),
                    Duration.ofSeconds(5), token.orElse(null));
            http.api(PendingApi.PATH, pending)
                    .apiOnItsOwnPool(io.github.kafkamailer.http.StatusApi.PATH, statusApi)
                    .start();
            password.ifPresent(p -> startConsole(p, pending::overview, statusApi));
            unsubscribeTokens.ifPresent(this::serveUnsubscribe);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve HTTP on " + settings.httpBind() + ":" + port + ": "
                    + e.getMessage() + " (set mailer.http.port or --http-port; -1 turns HTTP off)", e);
        }
        if (token.isEmpty()) {
            LOG.info("GET {} answers 401 to every caller, and instances can't add up each other's pending emails:"
                    + " set {} (or {}) on every instance, or an admin password", PendingApi.PATH,
                    ProcessSettings.HTTP_PEER_TOKEN, ProcessSettings.HTTP_PEER_TOKEN_ENV);
        }
    }

    /**
     * {@code /unsubscribe/TOKEN} on the main server, on the slow lane (it waits for Kafka): no session, the token is
     * its authority.
     */
    private void serveUnsubscribe(io.github.kafkamailer.unsubscribe.UnsubscribeTokens tokens) {
        unsubscribes = new KafkaSuppressionWriter(streamsConfig(), settings.topics().suppressions());
        http.routeSlow(io.github.kafkamailer.unsubscribe.UnsubscribeLinks.PATH,
                new io.github.kafkamailer.http.UnsubscribeEndpoint(tokens, unsubscribes, clock));
    }

    /** The management server (probes only, on threads of its own), when a management port is set. */
    private void startManagement(Supplier<String> scrape) {
        int port = settings.managementPort();
        if (port < 0) {
            return;
        }
        try {
            management = HttpEndpoints.management(settings.httpBind(), port, scrape, this::isAlive, this::isRunning)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the management endpoints on " + settings.httpBind() + ":"
                    + port + ": " + e.getMessage() + " (set " + ProcessSettings.HTTP_MANAGEMENT_PORT
                    + " or --management-port; -1 turns it off)", e);
        }
    }

    /** The admin console, on the same HTTP server, only when an admin password is set (else its path is a 404). */
    private void startConsole(String password, Supplier<io.github.kafkamailer.admin.TenantOverviews.Answer> pending,
                              io.github.kafkamailer.admin.StatusLookup statuses) {
        Properties kafka = new Properties();
        kafka.putAll(settings.kafkaProperties());
        kafka.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        ConsoleSettings cs = new ConsoleSettings(password, settings.consoleSessionIdle(), kafka, settings.topics(),
                clock, EnvironmentSecrets.of(settings), new MsalTokenSource(clock),
                (SSLSocketFactory) SSLSocketFactory.getDefault(), settings.consoleBasePath(),
                settings.trustedProxies());
        console = AdminConsole.create(cs, configOutcomes, pending, statuses);
        // Scans, Test connection and the peers' answers wait on the slow lane, never in front of the probes.
        http.routeSlow(console.contextPath(), console);
        LOG.info("Admin console at http://{}:{}{} (trusted proxies: {})", settings.httpBind(), http.port(),
                console.basePath(), cs.proxies());
    }

    /**
     * Where peers reach this instance's HTTP server: {@code application.server} when the process config sets it,
     * else the bind address and port (this machine's name when bound to every interface).
     */
    String advertisedHttpAddress() {
        String configured = settings.get(StreamsConfig.APPLICATION_SERVER_CONFIG, null);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = settings.httpBind();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
        }
        return host + ":" + http.port();
    }

    /**
     * The stream threads are alive: starting, rebalancing or running, not failed or stopped, and no failed thread
     * is being replaced.
     */
    public boolean isAlive() {
        if (streams == null || !failures.healthy()) {
            return false;
        }
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.CREATED || s == KafkaStreams.State.REBALANCING
                || s == KafkaStreams.State.RUNNING;
    }

    /** HIGH emails the read ahead of the intake handed to their sending task since the start; 0 when it is off. */
    public long highLookaheadForwarded() {
        return lookahead == null ? 0 : lookahead.forwarded();
    }

    /** The port the HTTP server listens on, or -1 when it is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** The port the management server listens on, or -1 when it is off. */
    public int managementPort() {
        return management == null ? -1 : management.port();
    }

    /** How long the restore consumer waits for data that isn't there (see {@link #streamsConfig(int)}). */
    static final int RESTORE_FETCH_MAX_WAIT_MS = 50;
    /** The Streams producer's batch size (see {@link #streamsConfig(int)}). */
    static final int PRODUCER_BATCH_BYTES = 128 * 1024;

    Properties streamsConfig() {
        return streamsConfig(recordLimit);
    }

    /** @param recordLimit what the topics the mailer writes emails to must allow; 0 when not known yet */
    Properties streamsConfig(int recordLimit) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mailer");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, "mailer-state");
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // The sending tick runs between polls: a poll that waits no longer than a tick keeps outcomes flowing
        // back (and the next emails going out) while no new email arrives.
        p.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(Math.max(1, settings.tick().toMillis())));
        Properties user = settings.kafkaProperties();
        if (recordLimit > 0) {
            // Internal topics Streams creates (repartition, changelogs) and the producer allow what the outbox
            // allows plus headroom (RecordSizes); the user's own values win. A plain max.request.size of the user
            // must not be overridden by our prefixed one, which Streams would prefer.
            p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(recordLimit));
            unlessUserSets(p, user, ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), recordLimit);
        }
        // Every email is written three times or more (repartition, pending-store changelog, status, sent ids),
        // ~2 KB each: 16 KB batches (the default) are seven records a request. 128 KB batches measured, four
        // runs each of 20,000 emails over four connections: 1,358 instead of 1,132 emails/s (medians), and
        // about a tenth less of the mailer's CPU per email. At most one batch per partition written.
        unlessUserSets(p, user, ProducerConfig.BATCH_SIZE_CONFIG,
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        // A task is ready once the restore consumer has seen the end of each of its changelogs; when there is
        // nothing to fetch, each of its polls waits fetch.max.wait.ms (500 ms by default), and the tasks came
        // ready in waves half a second apart: measured, "Mailer started" to RUNNING took 2.4 s, 1.5 s with this.
        unlessUserSets(p, user, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), RESTORE_FETCH_MAX_WAIT_MS);
        p.putAll(user);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        if (http != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHttpAddress());
        }
        return p;
    }

    /**
     * Our value under a client prefix, unless the user set the plain key: Streams prefers a prefixed value, so
     * ours would override the user's. A prefixed value of the user's replaces ours later, with the user's others.
     */
    private static void unlessUserSets(Properties p, Properties user, String plainKey, String prefixedKey, int value) {
        if (!user.containsKey(plainKey)) {
            p.put(prefixedKey, Integer.toString(value));
        }
    }

    private static Properties onlyAdminProps(Properties all) {
        Properties p = new Properties();
        for (String k : all.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(k)) {
                p.setProperty(k, all.getProperty(k));
            }
        }
        return p;
    }

    /** Last run and last error per tenant on this instance (console, {@code pending}). */
    public TenantActivity activity() {
        return activity;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean isRunning() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops starting batches, lets those in flight be sent and recorded (their statuses and sent ids committed),
     * then closes Kafka Streams. What is still pending stays in the store for the next start.
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        gate.beginDrain();
        if (streams != null && streams.state().isRunningOrRebalancing()) {
            try {
                if (!gate.awaitIdle(timeout.dividedBy(2))) {
                    LOG.warn("{} batch(es) still in flight at shutdown: their emails stay pending and may be sent"
                            + " again at the next start", gate.inFlight());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (senders != null) {
            // Past the drain time: exchanges still running are cut, their emails stay pending.
            senders.abortAll();
        }
        if (lookahead != null) {
            lookahead.close();
        }
        if (streams != null) {
            // Leave the group at once, so that another instance takes the partitions now, not after the session
            // timeout (45 s by default).
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
        }
        if (senders != null) {
            senders.close();
        }
        if (handovers != null) {
            handovers.close();
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (http != null) {
            http.close();
        }
        if (unsubscribes != null) {
            unsubscribes.close();
        }
        if (management != null) {
            management.close();
        }
        if (statusApi != null) {
            statusApi.close();
        }
        if (console != null) {
            console.close();
        }
        if (retention != null) {
            retention.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
