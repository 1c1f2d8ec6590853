package io.github.kafkamailer.model;

/**
 * The names of the mailer's state stores, and of the repartition by tenant. They are part of what a deployment
 * keeps: each names a state directory and a changelog topic ({@code <application.id>-<name>-changelog}), so a
 * new value would start that state empty. Never change one without a migration.
 */
public final class StoreNames {
    /** The tenants' configs, from the config topic (a global store). */
    public static final String CONFIG_STORE = "config-table";
    /** The emails waiting to be sent, per tenant, in due order. */
    public static final String PENDING_STORE = "pending-emails";
    /** (tenant, id) of the emails delivered, until their retention ends. "sent-ids" held ids alone, before 0.2. */
    public static final String SENT_IDS_STORE = "sent-tenant-ids";
    /** The same entries keyed by expiry, so forgetting them reads only the expired ones. */
    public static final String SENT_EXPIRY_STORE = "sent-expiry";
    /**
     * The places ({@code source}) of the HIGH emails a sending task took in, until their tenant's retention ends: a
     * HIGH email can come twice, from the intake and from the read ahead of it, and only the first copy is kept.
     */
    public static final String HIGH_SOURCES_STORE = "high-sources";
    /** The same entries keyed by expiry, so that forgetting them reads only the expired ones. */
    public static final String HIGH_SOURCES_EXPIRY_STORE = "high-sources-expiry";
    /** Pending emails per tenant, kept with the pending store so a task's start reads a count, not every email. */
    public static final String PENDING_COUNTS_STORE = "pending-counts";
    /** The rate-limit windows of tenants with {@code maxEmailsPerMinute}, carried across restarts and moves. */
    public static final String RATE_STORE = "rate-windows";
    /** The emails handed to senders and not yet recorded, for the task's next owner. */
    public static final String IN_FLIGHT_STORE = "in-flight";
    /**
     * The bounce mailboxes this task reads (a tenant whose emails it sends) and the delivery status notifications
     * already processed, until they have left the mailbox.
     */
    public static final String BOUNCE_STORE = "bounce-reports";
    /**
     * The repartition by tenant ({@code <application.id>-by-tenant-repartition}): the topic the sending task
     * reads, which also carries handovers.
     */
    public static final String BY_TENANT = "by-tenant";
    /**
     * The repartition of HIGH emails by tenant ({@code <application.id>-by-tenant-high-repartition}), read by the
     * same sending task beside {@link #BY_TENANT}, and first: a HIGH email does not wait behind a normal backlog
     * on its way into the pending store.
     */
    public static final String BY_TENANT_HIGH = "by-tenant-high";
    /**
     * The latest status of each (tenant, id), read from the status topic and partitioned as it is, by email id:
     * what {@code status --id} and the console's lookup ask, across instances.
     */
    public static final String STATUS_LATEST_STORE = "status-latest";
    /** The same entries keyed by expiry, so forgetting them reads only the expired ones. */
    public static final String STATUS_EXPIRY_STORE = "status-expiry";
    /**
     * The suppressed recipients, {@code TENANT/ADDRESS}, from the suppressions topic (a global store, on disk: a
     * restart reads only what came since its checkpoint).
     */
    public static final String SUPPRESSIONS_STORE = "suppressions";
    /**
     * The tenants' templates in force, {@code TENANT/NAME}, from the templates topic (a global store, in memory:
     * each start reads the compacted topic again, compiling each template once).
     */
    public static final String TEMPLATES_STORE = "templates";

    private StoreNames() {
    }
}
