package io.github.kafkamailer.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tenant's validated configuration: every field of the configuration screen and those beyond it
 * (CONTRACT.md). Only {@link ConfigRules#parse} makes one from a record, so holding a {@code MailerConfig}
 * means holding a valid one. Secrets are {@link Secret}s and never print.
 */
public record MailerConfig(
        boolean enabled,
        String smtpHost,
        int smtpPort,
        String smtpUser,
        Secret smtpPassword,
        boolean useOAuth,
        boolean useGraphApi,
        String tenantId,
        String clientId,
        Secret clientSecret,
        boolean startTls,
        String postmaster,
        String outlookSender,
        boolean forcePostmaster,
        int maxErrorSeconds,
        int campaignIntervalSeconds,
        int retentionDays,
        boolean skipPendingOnStart,
        boolean smtpSsl,
        int smtpConnections,
        Integer maxEmailsPerMinute,
        String authorityHost,
        String graphBaseUrl,
        String bounceImapHost,
        int bounceImapPort,
        String bounceImapUser,
        Secret bounceImapPassword,
        boolean bounceImapSsl,
        boolean bounceImapStartTls,
        int bouncePollSeconds,
        String fallbackSmtpHost,
        int fallbackSmtpPort,
        String fallbackSmtpUser,
        Secret fallbackSmtpPassword,
        boolean fallbackStartTls,
        boolean fallbackSmtpSsl) {

    /**
     * The primary SMTP server: {@code smtpHost}, {@code smtpPort}, {@code smtpUser}, {@code smtpPassword},
     * {@code startTls} and {@code smtpSsl}.
     */
    public SmtpServer primarySmtp() {
        return new SmtpServer(smtpHost, smtpPort, smtpUser, smtpPassword, startTls, smtpSsl);
    }

    /** The {@code fallbackSmtp*} fields as a server; their defaults when the tenant has none ({@link #hasFallback}). */
    public SmtpServer fallbackSmtp() {
        return new SmtpServer(fallbackSmtpHost, fallbackSmtpPort, fallbackSmtpUser, fallbackSmtpPassword,
                fallbackStartTls, fallbackSmtpSsl);
    }

    /** The {@code bounceImap*} fields as a mailbox; their defaults when the tenant has none ({@link #readsBounces}). */
    public ImapMailbox bounceMailbox() {
        return new ImapMailbox(bounceImapHost, bounceImapPort, bounceImapUser, bounceImapPassword, bounceImapSsl,
                bounceImapStartTls);
    }

    /** The same config with another primary SMTP server. */
    public MailerConfig withPrimarySmtp(SmtpServer smtp) {
        return with(smtp, useOAuth, useGraphApi, clientSecret, bounceMailbox(), fallbackSmtp());
    }

    /** The same config with another fallback SMTP server ({@link SmtpServer#NONE} for none). */
    public MailerConfig withFallbackSmtp(SmtpServer fallback) {
        return with(primarySmtp(), useOAuth, useGraphApi, clientSecret, bounceMailbox(), fallback);
    }

    /** The same config with another bounce mailbox. */
    public MailerConfig withBounceMailbox(ImapMailbox bounce) {
        return with(primarySmtp(), useOAuth, useGraphApi, clientSecret, bounce, fallbackSmtp());
    }

    /** The same config with other secrets (their references resolved). */
    public MailerConfig withSecrets(Secret smtpPassword, Secret clientSecret) {
        return with(primarySmtp().withPassword(smtpPassword), useOAuth, useGraphApi, clientSecret, bounceMailbox(),
                fallbackSmtp());
    }

    /** The same config with another bounce mailbox password (its reference resolved). */
    public MailerConfig withBounceImapPassword(Secret password) {
        return withBounceMailbox(bounceMailbox().withPassword(password));
    }

    /** True when the tenant has a bounce mailbox to read (CONTRACT.md, "Bounces"). */
    public boolean readsBounces() {
        return bounceImapHost != null;
    }

    /** The same config with another fallback password (its reference resolved). */
    public MailerConfig withFallbackPassword(Secret fallbackSmtpPassword) {
        return withFallbackSmtp(fallbackSmtp().withPassword(fallbackSmtpPassword));
    }

    /** True when the tenant has a second SMTP server to fail over to ({@code fallbackSmtpHost}). */
    public boolean hasFallback() {
        return fallbackSmtpHost != null;
    }

    /**
     * The config a run uses once it failed over: plain SMTP (with AUTH when {@code fallbackSmtpUser} is set) to the
     * fallback server, every other field (sender addresses, limits, the Microsoft application for drafts) as here,
     * and no fallback of its own. Null when the tenant has none.
     */
    public MailerConfig fallbackServer() {
        if (!hasFallback()) {
            return null;
        }
        return with(fallbackSmtp(), false, false, clientSecret, bounceMailbox(), SmtpServer.NONE);
    }

    /** The one copy with other servers and the fields that go with them; every other field as here. */
    private MailerConfig with(SmtpServer smtp, boolean oauth, boolean graph, Secret secret, ImapMailbox bounce,
            SmtpServer fallback) {
        return new MailerConfig(enabled, smtp.host(), smtp.port(), smtp.user(), smtp.password(), oauth, graph,
                tenantId, clientId, secret, smtp.startTls(), postmaster, outlookSender, forcePostmaster,
                maxErrorSeconds, campaignIntervalSeconds, retentionDays, skipPendingOnStart, smtp.ssl(),
                smtpConnections, maxEmailsPerMinute, authorityHost, graphBaseUrl, bounce.host(), bounce.port(),
                bounce.user(), bounce.password(), bounce.ssl(), bounce.startTls(), bouncePollSeconds, fallback.host(),
                fallback.port(), fallback.user(), fallback.password(), fallback.startTls(), fallback.ssl());
    }

    /**
     * True when a run opened with this config may go on under {@code other}: both send through the same server
     * with the same identity (transport, host, port, TLS, user and password, OAuth and Graph application,
     * authority and Graph endpoint, and the same for the fallback server). A run in progress is halted by a new version only when this is false, or
     * when the new one disables the tenant; every other field (interval, limits, sender addresses, retention,
     * skipPendingOnStart, ...) applies at the tenant's next run.
     */
    public boolean sameServerAs(MailerConfig other) {
        return other != null && transportKind() == other.transportKind()
                && java.util.Objects.equals(primarySmtp(), other.primarySmtp())
                && java.util.Objects.equals(tenantId, other.tenantId)
                && java.util.Objects.equals(clientId, other.clientId)
                && java.util.Objects.equals(clientSecret, other.clientSecret)
                && java.util.Objects.equals(authorityHost, other.authorityHost)
                && java.util.Objects.equals(graphBaseUrl, other.graphBaseUrl)
                && java.util.Objects.equals(fallbackSmtp(), other.fallbackSmtp());
    }

    /** The mailbox that DRAFT emails go to: {@code outlookSender}, or the postmaster when it is empty. */
    public String draftMailbox() {
        return outlookSender != null ? outlookSender : postmaster;
    }

    /** True when this tenant can reach Microsoft Graph (needed for DRAFT emails whatever the transport). */
    public boolean hasGraphCredentials() {
        return tenantId != null && clientId != null && clientSecret != null;
    }

    /** Which transport label (CONTRACT.md, status events) this config's emails go out with. */
    public TransportKind transportKind() {
        if (useGraphApi) {
            return TransportKind.GRAPH;
        }
        return useOAuth ? TransportKind.SMTP_OAUTH : TransportKind.SMTP;
    }

    /**
     * The record as JSON-ready values, every field present with its effective value. With {@code redact}
     * the secrets show as {@link Secret#REDACTED}; without, they are revealed (only for republishing).
     */
    public Map<String, Object> toFieldMap(boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigField f : ConfigField.values()) {
            Object v = value(f);
            if (v instanceof Secret s) {
                v = redact ? Secret.REDACTED : s.reveal();
            }
            m.put(f.jsonName(), v);
        }
        return m;
    }

    /** The effective value of one field (a {@link Secret} for secret fields). */
    public Object value(ConfigField f) {
        return switch (f) {
            case ENABLED -> enabled;
            case SMTP_HOST -> smtpHost;
            case SMTP_PORT -> smtpPort;
            case SMTP_USER -> smtpUser;
            case SMTP_PASSWORD -> smtpPassword;
            case USE_OAUTH -> useOAuth;
            case USE_GRAPH_API -> useGraphApi;
            case TENANT_ID -> tenantId;
            case CLIENT_ID -> clientId;
            case CLIENT_SECRET -> clientSecret;
            case START_TLS -> startTls;
            case POSTMASTER -> postmaster;
            case OUTLOOK_SENDER -> outlookSender;
            case FORCE_POSTMASTER -> forcePostmaster;
            case MAX_ERROR_SECONDS -> maxErrorSeconds;
            case CAMPAIGN_INTERVAL_SECONDS -> campaignIntervalSeconds;
            case RETENTION_DAYS -> retentionDays;
            case SKIP_PENDING_ON_START -> skipPendingOnStart;
            case SMTP_SSL -> smtpSsl;
            case SMTP_CONNECTIONS -> smtpConnections;
            case MAX_EMAILS_PER_MINUTE -> maxEmailsPerMinute;
            case AUTHORITY_HOST -> authorityHost;
            case GRAPH_BASE_URL -> graphBaseUrl;
            case BOUNCE_IMAP_HOST -> bounceImapHost;
            case BOUNCE_IMAP_PORT -> bounceImapPort;
            case BOUNCE_IMAP_USER -> bounceImapUser;
            case BOUNCE_IMAP_PASSWORD -> bounceImapPassword;
            case BOUNCE_IMAP_SSL -> bounceImapSsl;
            case BOUNCE_IMAP_START_TLS -> bounceImapStartTls;
            case BOUNCE_POLL_SECONDS -> bouncePollSeconds;
            case FALLBACK_SMTP_HOST -> fallbackSmtpHost;
            case FALLBACK_SMTP_PORT -> fallbackSmtpPort;
            case FALLBACK_SMTP_USER -> fallbackSmtpUser;
            case FALLBACK_SMTP_PASSWORD -> fallbackSmtpPassword;
            case FALLBACK_START_TLS -> fallbackStartTls;
            case FALLBACK_SMTP_SSL -> fallbackSmtpSsl;
        };
    }
}
