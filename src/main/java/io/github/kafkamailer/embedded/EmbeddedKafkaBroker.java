package io.github.kafkamailer.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real one-node Kafka (KRaft, broker and controller in one) inside this JVM.
 *
 * <p>It exists because the demo and the integration tests need a genuine broker (transactions
 * for {@code exactly_once_v2}, compacted topics, consumer groups) on machines without Docker,
 * and an in-process broker starts in about two seconds with nothing to install. Everything is
 * sized for one node: replication factors and min ISR of 1, so transactions do not hang waiting
 * for replicas that will never exist.
 *
 * <p>The ports are chosen once and kept across {@link #stop()} / {@link #restart()}, so clients
 * configured with {@link #bootstrapServers()} reconnect by themselves: that is what lets a test
 * take the broker away mid-run and bring it back. The data directory belongs to the caller; it
 * is never deleted here, so a restarted broker sees the same topics, offsets and transactions.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** A free port can be taken by someone else between our probe and the broker's bind. */
    private static final int PORT_ATTEMPTS = 3;

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code dataDir} unless it already holds a formatted log directory (so a directory
     * from an earlier run is reused, data included), then starts the broker on free ports.
     *
     * @throws IllegalStateException if the broker cannot start
     */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + dir, e);
        }
        formatIfNeeded(dir);
        RuntimeException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int[] ports = freePorts(2);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, ports[0], ports[1]);
            try {
                broker.startServer();
                return broker;
            } catch (RuntimeException e) {
                if (!causedByBind(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw new IllegalStateException("No free ports for the embedded Kafka broker", last);
    }

    /** {@code 127.0.0.1:PORT}; the same before and after a restart. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The data directory the broker uses (as given to {@link #start(Path)}, made absolute). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is running (started and not stopped). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Shuts the broker down cleanly and waits for it; data and ports are kept for
     * {@link #restart()}. Does nothing if it is already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
    }

    /** Stops the broker if it runs, then starts it again on the same ports and data. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    /** Same as {@link #stop()}; safe to call more than once. Leaves the data directory alone. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }

    private synchronized void startServer() {
        if (server != null) {
            return;
        }
        // A new server each time: a KafkaRaftServer cannot be started again once shut down.
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(config()), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(s, e);
            throw e;
        }
        server = s;
    }

    private Properties config() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners",
                "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("metadata.log.dir", dataDir.toString());
        // One node: anything defaulting to three replicas would never become available.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Fewer internal partitions: the first group or transaction is ready sooner.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        // Streams would otherwise wait 3 s before its first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The default 128 MB cleaner buffer is heap this small broker does not need.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // Tests and the demo share a 2-core machine with the app itself.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        return p;
    }

    private static void formatIfNeeded(Path dir) {
        if (Files.exists(dir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dir, e);
        }
    }

    private static int[] freePorts(int count) {
        // All sockets stay open until every port is known, so the ports differ from each other.
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // probing only
                    }
                }
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void shutdownQuietly(KafkaRaftServer s, RuntimeException cause) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
