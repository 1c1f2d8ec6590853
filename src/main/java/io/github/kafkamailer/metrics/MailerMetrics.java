package io.github.kafkamailer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mailer's own meters, named as CONTRACT.md ("Metrics") says, in one place. Tags are low-cardinality only:
 * tenant, transport, kind; never a recipient or an email id. Micrometer adds the {@code _total} and
 * {@code _seconds} suffixes in the Prometheus format.
 */
public final class MailerMetrics {
    public static final String SENT = "mailer.emails.sent";
    public static final String FAILED = "mailer.emails.failed";
    public static final String RETRIED = "mailer.emails.retried";
    public static final String DEAD_LETTERED = "mailer.emails.dead.lettered";
    public static final String SKIPPED = "mailer.emails.skipped";
    /** Emails not sent because every recipient is suppressed (status SUPPRESSED). */
    public static final String SUPPRESSED = "mailer.emails.suppressed";
    public static final String PENDING = "mailer.emails.pending";
    public static final String BATCH_DURATION = "mailer.batch.duration";
    public static final String DELIVERY_LATENCY = "mailer.delivery.latency";
    public static final String CONFIG_REJECTED = "mailer.config.rejected";
    /** Template records rejected: a broken rule or a template that doesn't compile (the last valid one stays). */
    public static final String TEMPLATES_REJECTED = "mailer.templates.rejected";
    public static final String DUPLICATES = "mailer.emails.duplicates";
    public static final String OLDEST_PENDING_AGE = "mailer.emails.oldest.pending.age";
    /** Sender connections over all tenants, {@code state} in_use or waiting (asked for beyond the bound). */
    public static final String SENDER_CONNECTIONS = "mailer.sender.connections";
    /** Sending runs that failed over to the tenant's fallback SMTP server ({@code fallbackSmtpHost}). */
    public static final String FAILOVERS = "mailer.failovers";
    /** Not in the contract: a status or metric that could not be written after an outcome (the outcome stands). */
    public static final String RECORDING_ERRORS = "mailer.recording.errors";
    /** Bounces read from a tenant's bounce mailbox, {@code kind} permanent or transient (CONTRACT.md, "Bounces"). */
    public static final String BOUNCES = "mailer.bounces";
    /** Reads of a tenant's bounce mailbox that failed (unreachable, TLS, sign-in): the contract's "a metric". */
    public static final String BOUNCE_MAILBOX_FAILURES = "mailer.bounce.mailbox.failures";
    /** Longest latency recorded: beyond it a duration says more about the producer's clock than the mailer. */
    static final Duration MAX_LATENCY = Duration.ofDays(3650);
    public static final String UNKNOWN_TENANT = "unknown";
    /**
     * The one label value of every tenant that has no config (as this process knows it): their names come from
     * producers, and 50,000 invented ones must not make 50,000 series.
     */
    public static final String UNCONFIGURED_TENANT = "_unconfigured";

    private final MeterRegistry registry;
    /** Tenants that had a valid config in this process: only they get series of their own. */
    private final java.util.Set<String> configured = ConcurrentHashMap.newKeySet();
    /** Pending emails per tenant, counted from the pending stores of this instance's tasks (no meter each). */
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    /** Seconds the oldest pending email of each tenant has waited, as this instance's tasks last saw it. */
    private final Map<String, AtomicLong> oldestAge = new ConcurrentHashMap<>();

    public MailerMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Unparsable records count under "unknown": present at zero from the start, like a tenant's counters.
        Counter.builder(FAILED).tag("tenant", UNKNOWN_TENANT).tag("kind", "invalid").register(registry);
        Counter.builder(DEAD_LETTERED).tag("tenant", UNKNOWN_TENANT).tag("kind", "invalid").register(registry);
        Counter.builder(CONFIG_REJECTED).tag("tenant", UNKNOWN_TENANT).register(registry);
        Gauge.builder(PENDING, this::pendingUnconfigured).tag("tenant", UNCONFIGURED_TENANT)
                .description("Emails waiting in the pending store").register(registry);
    }

    /**
     * The label a tenant's meters carry: its name once it has a config, else {@value #UNCONFIGURED_TENANT}, so
     * that the series stay bounded by the configs, whatever tenant names producers write.
     */
    public String tenantLabel(String tenant) {
        return tenant != null && (configured.contains(tenant) || UNKNOWN_TENANT.equals(tenant)) ? tenant
                : UNCONFIGURED_TENANT;
    }

    private long pendingUnconfigured() {
        long n = 0;
        for (Map.Entry<String, Long> e : pending.entrySet()) {
            if (!configured.contains(e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** Meters that go nowhere, for tests and tools that don't export them. */
    public static MailerMetrics inMemory() {
        return new MailerMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers a tenant's counters at zero as soon as its config is known, so that Prometheus sees them before
     * the first email (an {@code increase()} over a series that appears with its first event misses that event).
     */
    public void registerTenant(String tenant, String transport) {
        if (configured.add(tenant)) {
            Gauge.builder(PENDING, () -> pending.getOrDefault(tenant, 0L)).tag("tenant", tenant)
                    .description("Emails waiting in the pending store").register(registry);
        }
        Counter.builder(SENT).tag("tenant", tenant).tag("transport", transport).register(registry);
        for (String kind : new String[] {"transient", "permanent", "invalid"}) {
            Counter.builder(FAILED).tag("tenant", tenant).tag("kind", kind).register(registry);
        }
        for (String kind : new String[] {"invalid", "permanent", "expired"}) {
            Counter.builder(DEAD_LETTERED).tag("tenant", tenant).tag("kind", kind).register(registry);
        }
        Counter.builder(RETRIED).tag("tenant", tenant).register(registry);
        Counter.builder(SKIPPED).tag("tenant", tenant).register(registry);
        Counter.builder(SUPPRESSED).tag("tenant", tenant).register(registry);
        Counter.builder(CONFIG_REJECTED).tag("tenant", tenant).register(registry);
        Counter.builder(TEMPLATES_REJECTED).tag("tenant", tenant).register(registry);
        Counter.builder(DUPLICATES).tag("tenant", tenant).register(registry);
        Counter.builder(FAILOVERS).tag("tenant", tenant).register(registry);
        oldestPendingAge(tenant, 0);
    }

    /**
     * The process-wide sender connections: those open ({@code state="in_use"}, at most
     * {@code mailer.send.max.connections}) and those the runs wait for ({@code state="waiting"}).
     */
    public void senderConnections(java.util.function.IntSupplier inUse, java.util.function.IntSupplier waiting) {
        Gauge.builder(SENDER_CONNECTIONS, inUse::getAsInt).tag("state", "in_use")
                .description("Sender connections open, over all tenants").register(registry);
        Gauge.builder(SENDER_CONNECTIONS, waiting::getAsInt).tag("state", "waiting")
                .description("Sender connections asked for beyond mailer.send.max.connections").register(registry);
    }

    public void duplicate(String tenant) {
        Counter.builder(DUPLICATES).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    /** A sending run of this tenant failed over to its fallback SMTP server. */
    public void failover(String tenant) {
        Counter.builder(FAILOVERS).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    public void recordingFailed(String tenant) {
        Counter.builder(RECORDING_ERRORS).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    /**
     * How long the tenant's oldest pending email has waited since it reached the outbox; 0 when none waits. Kept
     * for tenants with a config only (a tenant without one has no run that would look).
     */
    public void oldestPendingAge(String tenant, long seconds) {
        if (!configured.contains(tenant)) {
            return;
        }
        oldestAge.computeIfAbsent(tenant, t -> {
            AtomicLong n = new AtomicLong();
            Gauge.builder(OLDEST_PENDING_AGE, n, AtomicLong::get).tag("tenant", t).baseUnit("seconds")
                    .description("Age of the oldest email waiting in the pending store").register(registry);
            return n;
        }).set(Math.max(0, seconds));
    }

    public void sent(String tenant, String transport) {
        Counter.builder(SENT).tag("tenant", tenantLabel(tenant)).tag("transport", transport).register(registry)
                .increment();
    }

    public void failed(String tenant, String kind) {
        Counter.builder(FAILED).tag("tenant", tenantLabel(tenant)).tag("kind", lower(kind)).register(registry)
                .increment();
    }

    public void retried(String tenant) {
        Counter.builder(RETRIED).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    public void deadLettered(String tenant, String kind) {
        Counter.builder(DEAD_LETTERED).tag("tenant", tenantLabel(tenant)).tag("kind", lower(kind)).register(registry)
                .increment();
    }

    public void skipped(String tenant) {
        Counter.builder(SKIPPED).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    public void suppressed(String tenant) {
        Counter.builder(SUPPRESSED).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    public void configRejected(String tenant) {
        Counter.builder(CONFIG_REJECTED).tag("tenant", tenant).register(registry).increment();
    }

    /** A template record of this tenant was rejected; a tenant without a config counts as the others do. */
    public void templateRejected(String tenant) {
        Counter.builder(TEMPLATES_REJECTED).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    public void batchDuration(String tenant, Duration d) {
        Timer.builder(BATCH_DURATION).tag("tenant", tenantLabel(tenant)).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(d);
    }

    /** From {@code createdAt} to the server's acceptance: seconds for a live email, hours after an outage. */
    public void deliveryLatency(String tenant, String transport, Duration d) {
        Timer.builder(DELIVERY_LATENCY).tag("tenant", tenantLabel(tenant)).tag("transport", transport)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofDays(2))
                .register(registry).record(d.isNegative() ? Duration.ZERO : d.compareTo(MAX_LATENCY) > 0 ? MAX_LATENCY : d);
    }

    /**
     * Adds {@code delta} to the tenant's pending count. The sending tasks count their store at start and
     * follow each write, so the gauge says what the stores hold, not a difference of counters. A tenant with a
     * config has a series of its own; the others add up under {@value #UNCONFIGURED_TENANT}, and move to their
     * own series the moment their config arrives.
     */
    public void pendingChanged(String tenant, long delta) {
        pending.merge(tenant, delta, (a, b) -> a + b == 0 ? null : a + b);
    }

    public long pending(String tenant) {
        return pending.getOrDefault(tenant, 0L);
    }

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    public void bounced(String tenant, String kind) {
        Counter.builder(BOUNCES).tag("tenant", tenantLabel(tenant)).tag("kind", lower(kind)).register(registry)
                .increment();
    }

    public void bounceMailboxFailed(String tenant) {
        Counter.builder(BOUNCE_MAILBOX_FAILURES).tag("tenant", tenantLabel(tenant)).register(registry).increment();
    }

    private static String lower(String kind) {
        return kind.toLowerCase(Locale.ROOT);
    }

}
