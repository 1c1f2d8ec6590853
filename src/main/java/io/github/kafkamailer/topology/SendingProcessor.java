package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.MailerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds a tenant's accepted emails in the pending store and, once per {@code campaignIntervalSeconds} of the
 * tenant's current config, sends what is due in one run. A wall-clock tick checks every tenant each second,
 * so each tenant keeps its own interval and a changed interval counts from the last run, without a restart.
 */
final class SendingProcessor implements Processor<String, PendingEmail, byte[], Outbound> {
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final SendingRun.Factory runs;
    private final Duration tick;
    private final Map<String, Instant> lastRunAt = new HashMap<>();
    private final Map<String, String> unfinishedFrom = new HashMap<>();
    private KeyValueStore<String, PendingEmail> pending;
    private KeyValueStore<String, Long> sentIds;
    private KeyValueStore<String, byte[]> configs;
    private ProcessorContext<byte[], Outbound> context;
    private Instant lastPurge = Instant.EPOCH;

    SendingProcessor(SendingRun.Factory runs, Duration tick) {
        this.runs = runs;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
        pending = context.getStateStore(MailerTopology.PENDING_STORE);
        sentIds = context.getStateStore(MailerTopology.SENT_IDS_STORE);
        configs = context.getStateStore(MailerTopology.CONFIG_STORE);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ts -> onTick(Instant.ofEpochMilli(ts)));
    }

    @Override
    public void process(Record<String, PendingEmail> record) {
        PendingEmail email = record.value();
        pending.put(PendingKeys.of(email.tenant(), email.dueAt(), email.emailId()), email);
    }

    private void onTick(Instant now) {
        for (Map.Entry<String, MailerConfig> e : tenantConfigs().entrySet()) {
            String tenant = e.getKey();
            MailerConfig config = e.getValue();
            if (!config.enabled() || !isDue(tenant, config, now)) {
                continue;
            }
            SendingRun run = runs.create(tenant, config, pending, sentIds, context::forward);
            String resumeAt = run.sendDue(now, unfinishedFrom.remove(tenant));
            if (resumeAt != null) {
                unfinishedFrom.put(tenant, resumeAt);
            }
            lastRunAt.put(tenant, now);
        }
        if (now.isAfter(lastPurge.plus(PURGE_EVERY))) {
            purgeExpiredSentIds(now);
            lastPurge = now;
        }
    }

    /** Due once per interval; a run cut short by its time budget goes on at the next tick. */
    private boolean isDue(String tenant, MailerConfig config, Instant now) {
        if (unfinishedFrom.containsKey(tenant)) {
            return true;
        }
        Instant last = lastRunAt.get(tenant);
        return last == null || !now.isBefore(last.plusSeconds(config.campaignIntervalSeconds()));
    }

    private Map<String, MailerConfig> tenantConfigs() {
        Map<String, MailerConfig> out = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> it = configs.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                // The table only ever holds configs that passed validation.
                out.put(kv.key, ConfigJson.parse(kv.value));
            }
        }
        return out;
    }

    /** The sent-ids store keeps each id for the tenant's retention; after that a resend is no duplicate. */
    private void purgeExpiredSentIds(Instant now) {
        long nowMs = now.toEpochMilli();
        java.util.List<String> expired = new java.util.ArrayList<>();
        try (KeyValueIterator<String, Long> it = sentIds.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.value != null && kv.value < nowMs) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(sentIds::delete);
    }
}
