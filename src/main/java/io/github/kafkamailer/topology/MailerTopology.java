package io.github.kafkamailer.topology;

import static io.github.kafkamailer.model.StoreNames.BOUNCE_STORE;
import static io.github.kafkamailer.model.StoreNames.BY_TENANT;
import static io.github.kafkamailer.model.StoreNames.CONFIG_STORE;
import static io.github.kafkamailer.model.StoreNames.HIGH_SOURCES_EXPIRY_STORE;
import static io.github.kafkamailer.model.StoreNames.HIGH_SOURCES_STORE;
import static io.github.kafkamailer.model.StoreNames.IN_FLIGHT_STORE;
import static io.github.kafkamailer.model.StoreNames.PENDING_COUNTS_STORE;
import static io.github.kafkamailer.model.StoreNames.PENDING_STORE;
import static io.github.kafkamailer.model.StoreNames.RATE_STORE;
import static io.github.kafkamailer.model.StoreNames.SENT_EXPIRY_STORE;
import static io.github.kafkamailer.model.StoreNames.SENT_IDS_STORE;
import static io.github.kafkamailer.model.StoreNames.STATUS_EXPIRY_STORE;
import static io.github.kafkamailer.model.StoreNames.STATUS_LATEST_STORE;
import static io.github.kafkamailer.model.StoreNames.SUPPRESSIONS_STORE;
import static io.github.kafkamailer.model.StoreNames.TEMPLATES_STORE;

import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.SecretReferences;
import io.github.kafkamailer.model.TopicNames;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires the mailer's stream:
 * <pre>
 *   outbox ──intake───────┬── invalid ──────────────────────────────────────► dlq
 *   retry ──retry-intake──┘── valid ──(repartition by tenant)── sending ──┬──► status
 *                                                   (pending, sent-ids)   ├──► retry
 *   config ──validate──► config table (global) ◄──read──                  └──► dlq
 *   status ──latest-status──► (status-latest, status-expiry): the latest status of each (tenant, id)
 *   (by tenant) ──bounces──► status, suppressions: the bounce mailboxes of the tenants the task sends for
 *   suppressions ──validate──► suppressions table (global) ◄──read by sending──
 *   templates ──validate, compile──► templates table (global) ◄──read by the sender lanes──
 * </pre>
 * Emails are repartitioned by tenant, so one task owns all of a tenant's pending emails: one run, one
 * connection and one rate limit per tenant, however many instances share the partitions.
 */
public final class MailerTopology {
    private final TopicNames topics;
    private final MailerMetrics metrics;
    private final ConfigListener configListener;
    private final SendingSettings settings;
    private final Duration tick;
    private final SecretReferences.Resolver secrets;
    /** Tells the sending tasks which tenants' configs changed, so none of them walks the table per tick. */
    private final ConfigChanges configChanges = new ConfigChanges();
    /** Null: IMAP, with a deletion delay derived from the commit interval at {@link #build}. */
    private BounceReading bounceReading;
    /** The compiled templates in force, which the sender lanes render with ({@link #withTemplates}). */
    private TemplateTable templates = new TemplateTable();
    /** Where the look-ahead hands HIGH emails to this process's sending tasks ({@link HighLookahead}). */
    private final HighInbox highInbox = new HighInbox();

    public MailerTopology(TopicNames topics, MailerMetrics metrics, ConfigListener configListener,
                          SendingSettings settings, Duration tick, SecretReferences.Resolver secrets) {
        this.secrets = secrets;
        this.topics = topics;
        this.metrics = metrics;
        this.configListener = configListener;
        this.settings = settings;
        this.tick = tick;
    }

    /** Reads the bounce mailboxes with {@code reading} instead of IMAP (tests). */
    public MailerTopology withBounceReading(BounceReading reading) {
        this.bounceReading = reading;
        return this;
    }

    /** Keeps the templates in force in {@code table}, the one the sender lanes read (the app's, a test's). */
    public MailerTopology withTemplates(TemplateTable table) {
        this.templates = table;
        return this;
    }

    /** Where {@link HighLookahead} hands HIGH emails to the sending tasks of this topology. */
    public HighInbox highInbox() {
        return highInbox;
    }

    /** @param streamsConfig the app's Streams config, which the topology's own settings are read from */
    public Topology build(java.util.Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsConfig)));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CONFIG_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                topics.config(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("config-source"),
                () -> new ConfigTableProcessor(metrics, ConfigListener.all(configListener, configChanges), secrets));

        KStream<byte[], Routed> outbox = builder
                .stream(topics.outbox(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("outbox-source"))
                .process(() -> new IntakeProcessor(topics, metrics, highInbox), Named.as("intake"));
        KStream<byte[], Routed> retries = builder
                .stream(topics.retry(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("retry-source"))
                .process(() -> new RetryIntakeProcessor(topics, metrics), Named.as("retry-intake"));
        KStream<byte[], Routed> intake = outbox.merge(retries, Named.as("intake-merge"));

        Map<String, KStream<byte[], Routed>> branches = intake.split(Named.as("intake-"))
                .branch((k, v) -> v instanceof Outbound, Branched.as("rejected"))
                .branch((k, v) -> ((PendingEmail) v).isHigh(), Branched.as("high"))
                .defaultBranch(Branched.as("accepted"));
        toOutputTopics(branches.get("intake-rejected").mapValues(v -> (Outbound) v, Named.as("rejected-out")),
                "rejected-sink");

        KStream<String, PendingEmail> byTenant = branches.get("intake-accepted")
                .map((k, v) -> KeyValue.pair(((PendingEmail) v).tenant(), (PendingEmail) v), Named.as("key-by-tenant"))
                .repartition(Repartitioned.with(Serdes.String(), new PendingEmailSerde()).withName(BY_TENANT))
                // HIGH emails on a repartition of their own, read by the same task and ahead of the normal one.
                .merge(HighPath.byTenant(branches.get("intake-high")), Named.as("by-tenant-merge"));
        KStream<byte[], Outbound> sending = byTenant
                .process(sendingSupplier(RecordLimit.of(streamsConfig)), Named.as("sending"));
        toOutputTopics(sending, "sending-sink");
        // Beside the sending, in the same task: the task that sends a tenant's emails reads its bounce mailbox.
        toOutputTopics(byTenant.process(bounceSupplier(streamsConfig), Named.as("bounces"), SENT_IDS_STORE),
                "bounce-sink");

        // Last: sub-topologies are numbered in the order their sources were added, so the earlier ones (and their
        // tasks' ids and state directories) keep their numbers; LatestStatusTopologyTest pins them. Read from the
        // earliest offset on a first start: the store takes in the statuses an older version wrote.
        builder.stream(topics.status(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withOffsetResetPolicy(org.apache.kafka.streams.AutoOffsetReset.earliest())
                        .withName("status-source"))
                .process(latestStatusSupplier(), Named.as("latest-status"));

        // A global table: its key (TENANT/ADDRESS) is not partitioned as the sending tasks are (by tenant), and
        // every task may need any address. On disk, so a restart reads only what came since its checkpoint.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUPPRESSIONS_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                topics.suppressions(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("suppressions-source"),
                SuppressionTableProcessor::new);
        // Global too: any task's sender lanes may render any tenant's template. In memory: templates are few, and
        // each start reads the compacted topic again through the processor, which compiles each version once.
        TemplateTable table = templates;
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TEMPLATES_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                topics.templates(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("templates-source"),
                () -> new TemplateTableProcessor(table, metrics));
        return builder.build();
    }

    private ProcessorSupplier<String, PendingEmail, byte[], Outbound> sendingSupplier(RecordLimit limit) {
        return new ProcessorSupplier<>() {
            @Override
            public SendingProcessor get() {
                return new SendingProcessor(settings, tick, limit, configChanges, highInbox);
            }

            @Override
            public java.util.Set<StoreBuilder<?>> stores() {
                StoreBuilder<KeyValueStore<String, PendingEmail>> pending = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(), new PendingEmailSerde());
                return java.util.Set.of(pending, longs(SENT_IDS_STORE), longs(SENT_EXPIRY_STORE),
                        longs(HIGH_SOURCES_STORE), longs(HIGH_SOURCES_EXPIRY_STORE),
                        // Cached: written at every email, it reaches RocksDB and its changelog once per commit.
                        longs(PENDING_COUNTS_STORE).withCachingEnabled(), Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(RATE_STORE), Serdes.String(), Serdes.ByteArray()),
                        // Cached: a marker set and cleared within one commit interval never reaches the changelog.
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IN_FLIGHT_STORE), Serdes.String(),
                                Serdes.ByteArray()).withCachingEnabled());
            }
        };
    }

    private ProcessorSupplier<String, PendingEmail, byte[], Outbound> bounceSupplier(java.util.Properties config) {
        BounceReading reading = bounceReading != null ? bounceReading
                : BounceReading.imap(bounceDeleteDelay(new StreamsConfig(config)));
        return new ProcessorSupplier<>() {
            @Override
            public BounceProcessor get() {
                return new BounceProcessor(reading, topics, metrics);
            }

            @Override
            public java.util.Set<StoreBuilder<?>> stores() {
                return java.util.Set.of(longs(BOUNCE_STORE));
            }
        };
    }

    /** Long enough after a notification's statuses are written for their transaction to be committed. */
    static Duration bounceDeleteDelay(StreamsConfig config) {
        long commitMs = config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        return Duration.ofMillis(Math.max(5_000L, 10 * commitMs));
    }

    private ProcessorSupplier<byte[], byte[], Void, Void> latestStatusSupplier() {
        return new ProcessorSupplier<>() {
            @Override
            public LatestStatusProcessor get() {
                return new LatestStatusProcessor(settings.expiryEvery());
            }

            @Override
            public java.util.Set<StoreBuilder<?>> stores() {
                return java.util.Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUS_LATEST_STORE),
                        Serdes.String(), new LatestStatus.LatestStatusSerde()), longs(STATUS_EXPIRY_STORE));
            }
        };
    }

    /** The topic Kafka Streams names for the repartition by tenant, which the sending task reads. */
    static String byTenantTopic(String applicationId) {
        return applicationId + "-" + BY_TENANT + "-repartition";
    }

    private static StoreBuilder<KeyValueStore<String, Long>> longs(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long());
    }

    /** One sink for all the contract's output topics: each record names its own. */
    private static void toOutputTopics(KStream<byte[], Outbound> stream, String name) {
        Serializer<Outbound> valueOnly = (topic, o) -> o == null ? null : o.value();
        Serde<Outbound> serde = Serdes.serdeFrom(valueOnly, (topic, bytes) -> {
            throw new UnsupportedOperationException("outbound records are only written");
        });
        stream.to((key, value, ctx) -> value.topic(), Produced.with(Serdes.ByteArray(), serde).withName(name));
    }
}
