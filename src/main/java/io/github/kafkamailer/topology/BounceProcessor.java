package io.github.kafkamailer.topology;

import io.github.kafkamailer.bounce.Bounce;
import io.github.kafkamailer.bounce.FoundReport;
import io.github.kafkamailer.bounce.MailboxPoll;
import io.github.kafkamailer.bounce.MailboxUnreachableException;
import io.github.kafkamailer.json.StatusEventJson;
import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.metrics.MailerMetrics;
import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.StoreNames;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.model.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bounce mailboxes of the tenants whose emails this task sends (CONTRACT.md, "Bounces"). The task that
 * owns a tenant's partition of the repartition by tenant owns its mailbox: it notes the tenant in its store when
 * an email of it passes, so the ownership moves with the partition.
 *
 * <p>The story of one notification: a punctuation hands a read of the mailbox to a background thread; the read
 * comes back through a queue; the stream thread writes its {@code BOUNCED} statuses and suppressions, and the
 * notification's id as processed, in the same transaction; a later read, once that is committed, deletes it from
 * the mailbox. A notification read again before it is deleted (after a crash, on a new owner) is found processed
 * and written nothing: no bounce is counted twice, none is lost.
 *
 * <p>Why not every tenant with {@code bounceImapHost} in the config table: that table is a global store, the same in
 * every task, so each task would read every such mailbox, and the per-task record of processed notifications would
 * let two tasks count one notification twice. Which task owns a tenant that sent nothing yet would have to be worked
 * out from the repartition's partitioner and partition count, which a processor is not given; an email of the
 * tenant arriving in the task is the one sure sign. Until then there is nothing of the tenant's to bounce, except
 * emails sent before the upgrade that brought bounce reading.
 */
final class BounceProcessor implements Processor<String, PendingEmail, byte[], Outbound> {
    private static final Logger LOG = LoggerFactory.getLogger(BounceProcessor.class);
    static final Duration TICK = Duration.ofSeconds(1);
    private static final String OWNED = "o\u0000";
    private static final String PROCESSED = "r\u0000";
    private static final char SEP = '\u0000';

    private final BounceReading bounceReading;
    private final TopicNames topics;
    private final MailerMetrics metrics;
    /** Reads that came back, for the stream thread; written by the reading threads. */
    private final Queue<ReadResult> results = new ConcurrentLinkedQueue<>();
    private final Set<String> owned = new HashSet<>();
    /** Tenants whose mailbox is being read now: one read per tenant at a time. */
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, Instant> nextRead = new HashMap<>();
    private ProcessorContext<byte[], Outbound> context;
    private KeyValueStore<String, Long> store;
    private KeyValueStore<String, Long> sentIds;
    private TenantConfigs configs;

    /** One read of one tenant's mailbox: what it found, or why it failed. */
    private record ReadResult(String tenant, MailboxPoll poll, String failure) {
    }

    BounceProcessor(BounceReading reading, TopicNames topics, MailerMetrics metrics) {
        this.bounceReading = reading;
        this.topics = topics;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
        store = context.getStateStore(StoreNames.BOUNCE_STORE);
        sentIds = context.getStateStore(StoreNames.SENT_IDS_STORE);
        // Only one tenant's config at a time is read, when its mailbox is due: no change feed needed.
        configs = new TenantConfigs(context.getStateStore(StoreNames.CONFIG_STORE), new ConfigChanges());
        try (KeyValueIterator<String, Long> it = store.prefixScan(OWNED,
                new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> owned.add(kv.key.substring(OWNED.length())));
        }
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, ts -> onTick(Instant.ofEpochMilli(ts)));
    }

    @Override
    public void process(Record<String, PendingEmail> record) {
        String tenant = record.key() != null ? record.key() : record.value() == null ? null : record.value().tenant();
        if (tenant != null && owned.add(tenant)) {
            store.put(OWNED + tenant, 0L);
        }
    }

    private void onTick(Instant now) {
        takeResults(now);
        for (String tenant : owned) {
            if (readDue(tenant, now)) {
                startRead(tenant, now);
            }
        }
        // A reader that answers at once (tests) is taken in the same tick.
        takeResults(now);
    }

    private boolean readDue(String tenant, Instant now) {
        if (inFlight.contains(tenant)) {
            return false;
        }
        MailerConfig config = configs.get(tenant);
        if (config == null || !config.enabled() || !config.readsBounces()) {
            nextRead.remove(tenant);
            return false;
        }
        Instant next = nextRead.get(tenant);
        return next == null || !now.isBefore(next);
    }

    private void startRead(String tenant, Instant now) {
        MailerConfig config = configs.get(tenant);
        nextRead.put(tenant, now.plusSeconds(config.bouncePollSeconds()));
        Set<String> deletable = processedBefore(tenant, now.minus(bounceReading.deleteAfter()));
        inFlight.add(tenant);
        try {
            bounceReading.executor().execute(() -> results.add(read(tenant, config, deletable)));
        } catch (RejectedExecutionException e) {
            inFlight.remove(tenant);
        }
    }

    private ReadResult read(String tenant, MailerConfig config, Set<String> deletable) {
        try {
            return new ReadResult(tenant, bounceReading.mailbox().read(config, deletable), null);
        } catch (MailboxUnreachableException e) {
            return new ReadResult(tenant, null, e.getMessage());
        } catch (RuntimeException e) {
            return new ReadResult(tenant, null, e.getClass().getSimpleName());
        }
    }

    private void takeResults(Instant now) {
        ReadResult r;
        boolean wrote = false;
        while ((r = results.poll()) != null) {
            inFlight.remove(r.tenant());
            if (r.failure() != null) {
                MailerConfig c = configs.get(r.tenant());
                LOG.warn("Bounce mailbox of tenant '{}' ({}:{}) could not be read, trying again in {}s; sending goes"
                        + " on: {}", r.tenant(), c == null ? "?" : c.bounceImapHost(), c == null ? "?"
                        : c.bounceImapPort(), c == null ? "?" : c.bouncePollSeconds(), r.failure());
                metrics.bounceMailboxFailed(r.tenant());
                continue;
            }
            for (FoundReport report : r.poll().found()) {
                wrote |= process(r.tenant(), report, now);
            }
            forgetGone(r.tenant(), r.poll().remaining());
        }
        if (wrote) {
            // The sooner the statuses are committed, the sooner the next read may delete the notification.
            context.commit();
        }
    }

    /** Writes one notification's bounces, once; returns whether it wrote anything. */
    private boolean process(String tenant, FoundReport report, Instant now) {
        String key = processedKey(tenant, report.reportId());
        if (store.get(key) != null) {
            return false;
        }
        boolean matched = false;
        for (Bounce b : report.bounces()) {
            if (!tenant.equals(b.tenant()) || sentIds.get(SentIds.key(tenant, b.emailId())) == null) {
                // Not an email this tenant sent (still known): another tenant's, or a forged notification.
                continue;
            }
            matched = true;
            write(b, now);
        }
        if (matched) {
            store.put(key, now.toEpochMilli());
        }
        return matched;
    }

    private void write(Bounce b, Instant now) {
        StatusEvent status = new StatusEvent(b.emailId(), b.tenant(), Status.BOUNCED, 0, now, null, b.error())
                .withRecipient(b.recipient());
        context.forward(new Record<>(b.emailId().getBytes(StandardCharsets.UTF_8),
                new Outbound(topics.status(), StatusEventJson.write(status)), now.toEpochMilli()));
        if (b.permanent() && Addresses.isValid(b.recipient())) {
            Suppression s = new Suppression(b.tenant(), b.recipient(), SuppressionReason.BOUNCED, now);
            context.forward(new Record<>(s.key().getBytes(StandardCharsets.UTF_8),
                    new Outbound(topics.suppressions(), SuppressionJson.write(s)), now.toEpochMilli()));
        }
        metrics.bounced(b.tenant(), b.kind());
    }

    /** The tenant's processed notifications handled at or before {@code cutoff}: the next read deletes them. */
    private Set<String> processedBefore(String tenant, Instant cutoff) {
        Set<String> out = new HashSet<>();
        String prefix = PROCESSED + tenant + SEP;
        try (KeyValueIterator<String, Long> it = store.prefixScan(prefix,
                new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (kv.value != null && kv.value <= cutoff.toEpochMilli()) {
                    out.add(kv.key.substring(prefix.length()));
                }
            });
        }
        return out;
    }

    /** Forgets the processed notifications that have left the mailbox (deleted by the read, or by someone). */
    private void forgetGone(String tenant, Set<String> remaining) {
        String prefix = PROCESSED + tenant + SEP;
        Set<String> gone = new HashSet<>();
        try (KeyValueIterator<String, Long> it = store.prefixScan(prefix,
                new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (!remaining.contains(kv.key.substring(prefix.length()))) {
                    gone.add(kv.key);
                }
            });
        }
        gone.forEach(store::delete);
    }

    private static String processedKey(String tenant, String reportId) {
        return PROCESSED + tenant + SEP + reportId;
    }

    @Override
    public void close() {
        // A read still running finishes on its thread; what it found is dropped with this queue, and the next
        // owner reads it again (nothing it deleted was unprocessed).
        results.clear();
        if (configs != null) {
            configs.close();
        }
    }
}
