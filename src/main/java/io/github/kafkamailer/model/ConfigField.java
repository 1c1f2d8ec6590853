package io.github.kafkamailer.model;

/**
 * Every field of the config record, declared once: its JSON name, type, default, bounds and the label of the
 * configuration screen it mirrors (CONTRACT.md, "Config record"). Parsing, defaults, the CLI's help and the
 * console all read this one list; the rules that tie several fields together are in {@link ConfigRules}.
 */
public enum ConfigField {
    ENABLED("enabled", Type.BOOLEAN, false, "Process for sending emails enabled"),
    SMTP_HOST("smtpHost", Type.STRING, null, "SMTP host"),
    SMTP_PORT("smtpPort", Type.INT, 25, 1, 65_535, "SMTP port"),
    SMTP_USER("smtpUser", Type.STRING, null, "SMTP user"),
    SMTP_PASSWORD("smtpPassword", Type.SECRET, null, "SMTP password"),
    USE_OAUTH("useOAuth", Type.BOOLEAN, false, "Use OAUTH authentication (Exchange 365 only)"),
    USE_GRAPH_API("useGraphApi", Type.BOOLEAN, false, "Use Graph API Library"),
    TENANT_ID("tenantId", Type.STRING, null, "Tenant ID"),
    CLIENT_ID("clientId", Type.STRING, null, "Client ID"),
    CLIENT_SECRET("clientSecret", Type.SECRET, null, "Client Secret"),
    START_TLS("startTls", Type.BOOLEAN, false, "Using the STARTTLS command"),
    POSTMASTER("postmaster", Type.ADDRESS, null, "Mail postmaster"),
    OUTLOOK_SENDER("outlookSender", Type.ADDRESS, null,
            "E-mail address used to send e-mails with Outlook(New)"),
    FORCE_POSTMASTER("forcePostmaster", Type.BOOLEAN, true, "Force postmaster as sender of all emails"),
    MAX_ERROR_SECONDS("maxErrorSeconds", Type.INT, 86_400, 0, Integer.MAX_VALUE,
            "Maximum time after which the system no longer sends default emails"),
    CAMPAIGN_INTERVAL_SECONDS("campaignIntervalSeconds", Type.INT, 20, 1, Integer.MAX_VALUE,
            "Time interval between sending two email campaign"),
    RETENTION_DAYS("retentionDays", Type.INT, 30, 1, 36_500,
            "Time period (in days) for keeping emails in database"),
    SKIP_PENDING_ON_START("skipPendingOnStart", Type.BOOLEAN, false,
            "At the starting, do not send the pending emails"),
    SMTP_SSL("smtpSsl", Type.BOOLEAN, false, "Implicit TLS from the first byte (port 465)"),
    SMTP_CONNECTIONS("smtpConnections", Type.INT, 1, 1, 16, "SMTP connections a sending run uses in parallel"),
    MAX_EMAILS_PER_MINUTE("maxEmailsPerMinute", Type.INT, null, 1, Integer.MAX_VALUE,
            "Emails sent per minute at most"),
    AUTHORITY_HOST("authorityHost", Type.HTTPS_URL, "https://login.microsoftonline.com",
            "Microsoft identity authority host"),
    GRAPH_BASE_URL("graphBaseUrl", Type.HTTPS_URL, "https://graph.microsoft.com/v1.0",
            "Microsoft Graph endpoint"),
    BOUNCE_IMAP_HOST("bounceImapHost", Type.STRING, null, "Bounce mailbox IMAP host"),
    BOUNCE_IMAP_PORT("bounceImapPort", Type.INT, 993, 1, 65_535, "Bounce mailbox IMAP port"),
    BOUNCE_IMAP_USER("bounceImapUser", Type.STRING, null, "Bounce mailbox user"),
    BOUNCE_IMAP_PASSWORD("bounceImapPassword", Type.SECRET, null, "Bounce mailbox password"),
    BOUNCE_IMAP_SSL("bounceImapSsl", Type.BOOLEAN, true, "Bounce mailbox over implicit TLS"),
    BOUNCE_IMAP_START_TLS("bounceImapStartTls", Type.BOOLEAN, false, "Bounce mailbox with STARTTLS"),
    BOUNCE_POLL_SECONDS("bouncePollSeconds", Type.INT, 60, 5, Integer.MAX_VALUE,
            "Seconds between two reads of the bounce mailbox"),
    FALLBACK_SMTP_HOST("fallbackSmtpHost", Type.STRING, null, "Fallback SMTP host"),
    FALLBACK_SMTP_PORT("fallbackSmtpPort", Type.INT, 25, 1, 65_535, "Fallback SMTP port"),
    FALLBACK_SMTP_USER("fallbackSmtpUser", Type.STRING, null, "Fallback SMTP user"),
    FALLBACK_SMTP_PASSWORD("fallbackSmtpPassword", Type.SECRET, null, "Fallback SMTP password"),
    FALLBACK_START_TLS("fallbackStartTls", Type.BOOLEAN, false, "Fallback: using the STARTTLS command"),
    FALLBACK_SMTP_SSL("fallbackSmtpSsl", Type.BOOLEAN, false, "Fallback: implicit TLS from the first byte");

    /** The JSON type a field accepts, and how its value is checked. */
    public enum Type { BOOLEAN, INT, STRING, SECRET, ADDRESS, HTTPS_URL }

    private final String jsonName;
    private final Type type;
    private final Object defaultValue;
    private final long min;
    private final long max;
    private final String label;

    ConfigField(String jsonName, Type type, Object defaultValue, String label) {
        this(jsonName, type, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE, label);
    }

    ConfigField(String jsonName, Type type, Object defaultValue, long min, long max, String label) {
        this.jsonName = jsonName;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.label = label;
    }

    public String jsonName() { return jsonName; }
    public Type type() { return type; }
    /** The default, or null when the field has none. */
    public Object defaultValue() { return defaultValue; }
    public long min() { return min; }
    public long max() { return max; }
    public String label() { return label; }
    public boolean isSecret() { return type == Type.SECRET; }

    /**
     * One or two plain sentences under the field on the configuration screen (and in the CLI's help). A switch,
     * so that a new field does not compile without its help text.
     */
    public String help() {
        return switch (this) {
            case ENABLED -> "When off, nothing is sent: emails wait in the queue, they are not dropped.";
            case SMTP_HOST -> "Name or address of the mail server that sends the emails.";
            case SMTP_PORT -> "Usually 25, 587 with STARTTLS, or 465 with implicit TLS.";
            case SMTP_USER -> "When set, the mailer signs in and refuses to send if the server offers no sign-in."
                    + " With OAuth: the mailbox the token signs in as.";
            case SMTP_PASSWORD -> "The SMTP user's password, or a ${env:NAME} / ${file:/path} reference.";
            case USE_OAUTH -> "Sign in to Exchange Online's SMTP with an app token from Microsoft identity"
                    + " instead of a password.";
            case USE_GRAPH_API -> "Send through Microsoft Graph instead of SMTP. Custom headers must start"
                    + " with X- to survive Graph.";
            case TENANT_ID -> "The Microsoft Entra directory (tenant) of the app registration.";
            case CLIENT_ID -> "The application (client) ID of the app registration.";
            case CLIENT_SECRET -> "The app registration's client secret, or a ${env:NAME} / ${file:/path} reference.";
            case START_TLS -> "Encrypt the connection with STARTTLS; the mailer never sends unencrypted when"
                    + " this is on.";
            case POSTMASTER -> "A no-reply address such as donotreply@company.example, not a person's own.";
            case OUTLOOK_SENDER -> "The Exchange mailbox where draft emails are created. Empty: the postmaster.";
            case FORCE_POSTMASTER -> "On: every email is sent from the postmaster, with replies going to the"
                    + " author. Off: from the author's own address.";
            case MAX_ERROR_SECONDS -> "An email still failing this long after its first failure becomes a"
                    + " dead letter. 86400 is one day.";
            case CAMPAIGN_INTERVAL_SECONDS -> "The sending process runs once per interval and sends what is due.";
            case RETENTION_DAYS -> "How long emails, statuses and dead letters are kept in Kafka.";
            case SKIP_PENDING_ON_START -> "Emails queued before the mailer service started (its first instance"
                    + " after a full stop, not a restart of one instance among others) are not sent; each is marked"
                    + " SKIPPED.";
            case SMTP_SSL -> "TLS from the first byte, usually on port 465. Excludes STARTTLS.";
            case SMTP_CONNECTIONS -> "Connections a sending run opens in parallel (1 to 16).";
            case MAX_EMAILS_PER_MINUTE -> "Never exceeded; the excess waits for later runs. Empty: no limit.";
            case AUTHORITY_HOST -> "Microsoft identity's authority; change it only for a national cloud.";
            case GRAPH_BASE_URL -> "Microsoft Graph's endpoint; change it only for a national cloud.";
            case BOUNCE_IMAP_HOST -> "An IMAP mailbox that receives the bounces (the postmaster's, or a return"
                    + " path's). Empty: bounces are not read.";
            case BOUNCE_IMAP_PORT -> "Usually 993 with implicit TLS, or 143.";
            case BOUNCE_IMAP_USER -> "The bounce mailbox's user. Required with the IMAP host.";
            case BOUNCE_IMAP_PASSWORD -> "The bounce mailbox's password, or a ${env:NAME} / ${file:/path}"
                    + " reference. Required with the IMAP host.";
            case BOUNCE_IMAP_SSL -> "TLS from the first byte (port 993). Off: plain IMAP, upgraded with STARTTLS"
                    + " when that is on.";
            case BOUNCE_IMAP_START_TLS -> "With TLS from the first byte off: STARTTLS is required.";
            case BOUNCE_POLL_SECONDS -> "How often the bounce mailbox is read (at least 5).";
            case FALLBACK_SMTP_HOST -> "A second SMTP server: a run whose server is down or refuses the connection"
                    + " sends through this one; the next run tries the first again. Empty: no fallback.";
            case FALLBACK_SMTP_PORT -> "The fallback's port: usually 25, 587 with STARTTLS, or 465 with implicit"
                    + " TLS.";
            case FALLBACK_SMTP_USER -> "When set, the mailer signs in to the fallback as this user.";
            case FALLBACK_SMTP_PASSWORD -> "The fallback user's password, or a ${env:NAME} / ${file:/path}"
                    + " reference.";
            case FALLBACK_START_TLS -> "Encrypt the connection to the fallback with STARTTLS, never skipped.";
            case FALLBACK_SMTP_SSL -> "TLS from the first byte to the fallback, usually on port 465. Excludes its"
                    + " STARTTLS.";
        };
    }

    public static ConfigField byJsonName(String name) {
        for (ConfigField f : values()) {
            if (f.jsonName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
