package io.github.kafkamailer.probe;

import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Secret;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.SenderRules;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.graph.GraphCheck;
import io.github.kafkamailer.transport.graph.GraphClients;
import io.github.kafkamailer.transport.graph.GraphSendTransport;
import io.github.kafkamailer.transport.oauth.TokenSource;
import io.github.kafkamailer.transport.smtp.SmtpCheck;
import io.github.kafkamailer.transport.smtp.SmtpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Tests a tenant's config now, as the mailer would use it, and tells each step's outcome ({@code config test},
 * the console's Test button): for SMTP, DNS, connect, TLS (certificate subject and expiry) or STARTTLS, AUTH
 * (the mechanism); for OAuth and Graph, the token (error code only) and a Graph call; with a recipient, a real
 * test email and the server's reply. It stops at the first failing step, never throws, and never puts a secret
 * in a detail. A tenant with a fallback server ({@code fallbackSmtpHost}) has both tested, each to its first failing
 * step, every step saying which server it tested. The AUTH and SEND steps go through the transports themselves ({@link SmtpTransport},
 * {@link GraphSendTransport}), so what works here works when sending.
 */
public final class ConfigProbe {
    private final TokenSource tokens;
    private final SSLSocketFactory tls;
    private final Clock clock;
    private final Duration timeout;
    private final GraphClients graph;

    /** Trusting the JVM's trust store for Graph, as in production. */
    public ConfigProbe(TokenSource tokens, SSLSocketFactory tls, Clock clock, Duration timeout) {
        this(tokens, tls, null, clock, timeout);
    }

    /** @param graphTrust what Graph's HTTPS trusts (a test trust store); null for the JVM's */
    public ConfigProbe(TokenSource tokens, SSLSocketFactory tls, X509TrustManager graphTrust, Clock clock,
                       Duration timeout) {
        this.tokens = tokens;
        this.tls = tls;
        this.clock = clock;
        this.timeout = timeout;
        GraphClients.Limits limits = new GraphClients.Limits(timeout, timeout, 0, Duration.ZERO);
        this.graph = graphTrust == null ? new GraphClients(tokens, clock, limits)
                : new GraphClients(tokens, clock, limits, tls, graphTrust);
    }

    /**
     * @param config      the config to test, its secret references resolved
     * @param sendToOrNull where to send a test email; null to send nothing
     */
    public ProbeReport run(MailerConfig config, String sendToOrNull) {
        if (!config.hasFallback()) {
            return new ProbeReport(probe(config, config, sendToOrNull, null));
        }
        // Both servers, each to its first failing step: a run may need either.
        List<ProbeStep> all = new ArrayList<>(probe(config, config, sendToOrNull, StatusEvent.PRIMARY_SERVER));
        all.addAll(probe(config.fallbackServer(), config, sendToOrNull, StatusEvent.FALLBACK_SERVER));
        return new ProbeReport(all);
    }

    /**
     * @param server  the config of the server to test (the tenant's, or its fallback server's)
     * @param tenant  the tenant's whole config, whose secrets no detail may show
     * @param label   the steps' {@link ProbeStep#server}
     */
    private List<ProbeStep> probe(MailerConfig server, MailerConfig tenant, String sendToOrNull, String label) {
        Steps steps = new Steps(tenant, label);
        try {
            if (server.useGraphApi()) {
                graph(server, sendToOrNull, steps);
            } else {
                smtp(server, sendToOrNull, steps);
            }
        } catch (RuntimeException e) {
            steps.failed(steps.current, "unexpected " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return steps.list;
    }

    private void smtp(MailerConfig config, String sendTo, Steps steps) {
        String password = null;
        if (config.useOAuth()) {
            TokenSource.AccessToken token = token(config, SmtpTransport.OUTLOOK_SCOPE, steps);
            if (token == null) {
                return;
            }
            steps.secret(token.value());
            password = token.value();
        } else if (config.smtpPassword() != null) {
            password = config.smtpPassword().reveal();
        }
        if (!serverBeforeAuth(config, steps)) {
            return;
        }
        SmtpTransport transport = new SmtpTransport(clock, timeout, tls, tokens);
        try (SmtpCheck check = transport.check(config)) {
            steps.current = "AUTH";
            SmtpCheck.Outcome auth = check.connect(config.smtpUser() == null ? null : password);
            String clearText = config.smtpUser() != null && !config.startTls() && !config.smtpSsl()
                    ? "; WARNING: the credentials travel in clear text (neither startTls nor smtpSsl)" : "";
            if (!steps.add("AUTH", auth.ok(), auth.detail() + (auth.ok() ? clearText : ""))) {
                return;
            }
            if (sendTo != null) {
                steps.current = "SEND";
                SmtpCheck.Outcome sent = check.send(testEmail(config, sendTo));
                steps.add("SEND", sent.ok(), "to " + sendTo + ": " + sent.detail());
            }
        }
    }

    /** DNS, CONNECT, then TLS (implicit) or STARTTLS and TLS: what happens before any credential is sent. */
    private boolean serverBeforeAuth(MailerConfig config, Steps steps) {
        steps.current = "DNS";
        InetAddress[] addresses = resolve(config.smtpHost(), steps);
        if (addresses == null) {
            return false;
        }
        steps.current = "CONNECT";
        Socket socket = connect(addresses, config.smtpPort(), steps);
        if (socket == null) {
            return false;
        }
        try (Socket plain = socket) {
            Socket s = plain;
            if (config.smtpSsl()) {
                steps.current = "TLS";
                s = handshake(plain, config.smtpHost(), config.smtpPort(), steps);
                if (s == null) {
                    return false;
                }
            }
            SmtpDialogue smtp = new SmtpDialogue(s);
            SmtpDialogue.Reply greeting = smtp.read();
            if (greeting.code() != 220) {
                steps.list.remove(steps.list.size() - 1);
                return steps.add("CONNECT", false, "the server greets with " + greeting.text());
            }
            String ehloName = "[" + plain.getLocalAddress().getHostAddress() + "]";
            SmtpDialogue.Reply ehlo = smtp.command("EHLO " + ehloName);
            List<String> extensions = SmtpDialogue.extensions(ehlo);
            if (config.startTls()) {
                steps.current = "STARTTLS";
                if (!extensions.contains("STARTTLS")) {
                    return steps.add("STARTTLS", false, "the server does not offer STARTTLS (it offers "
                            + extensions + "); with startTls the mailer refuses to go on in clear text");
                }
                SmtpDialogue.Reply reply = smtp.command("STARTTLS");
                if (reply.code() != 220) {
                    return steps.add("STARTTLS", false, "refused: " + reply.text());
                }
                steps.add("STARTTLS", true, "offered and accepted (" + reply.text() + ")");
                steps.current = "TLS";
                s = handshake(plain, config.smtpHost(), config.smtpPort(), steps);
                if (s == null) {
                    return false;
                }
                smtp = new SmtpDialogue(s);
                smtp.command("EHLO " + ehloName);
            } else if (!config.smtpSsl() && extensions.contains("STARTTLS")) {
                steps.note("the server offers STARTTLS, which startTls=true would use");
            }
            try {
                smtp.command("QUIT");
            } catch (IOException ignored) {
                // Leaving: the server may close first.
            }
            return true;
        } catch (IOException e) {
            return steps.add(steps.current, false, "the SMTP exchange failed: " + e.getMessage());
        }
    }

    private InetAddress[] resolve(String host, Steps steps) {
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            InetAddress[] a = lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            steps.add("DNS", true, host + " -> " + Arrays.stream(a).map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", ")));
            return a;
        } catch (ExecutionException e) {
            steps.add("DNS", false, "cannot resolve " + host + " (" + e.getCause().getClass().getSimpleName() + ")");
        } catch (TimeoutException e) {
            steps.add("DNS", false, "no answer for " + host + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            steps.add("DNS", false, "interrupted");
        }
        return null;
    }

    private Socket connect(InetAddress[] addresses, int port, Steps steps) {
        List<String> failures = new ArrayList<>();
        for (InetAddress a : addresses) {
            Socket s = new Socket();
            long start = System.nanoTime();
            try {
                s.connect(new InetSocketAddress(a, port), (int) timeout.toMillis());
                s.setSoTimeout((int) timeout.toMillis());
                steps.add("CONNECT", true, "connected to " + a.getHostAddress() + ":" + port + " in "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
                return s;
            } catch (IOException e) {
                failures.add(a.getHostAddress() + ":" + port + " (" + e.getMessage() + ")");
                try {
                    s.close();
                } catch (IOException ignored) {
                    // It never opened.
                }
            }
        }
        steps.add("CONNECT", false, "cannot connect to " + String.join(", ", failures));
        return null;
    }

    /** TLS over {@code socket}, checking the certificate and that it names the host, as the mailer does. */
    private SSLSocket handshake(Socket socket, String host, int port, Steps steps) {
        try {
            SSLSocket s = (SSLSocket) tls.createSocket(socket, host, port, false);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            s.setSoTimeout((int) timeout.toMillis());
            s.startHandshake();
            steps.add("TLS", true, Certificates.describe(s.getSession(), clock));
            return s;
        } catch (IOException e) {
            steps.add("TLS", false, "handshake with " + host + ":" + port + " failed: " + e.getMessage());
            return null;
        }
    }

    private TokenSource.AccessToken token(MailerConfig config, String scope, Steps steps) {
        steps.current = "TOKEN";
        try {
            TokenSource.AccessToken t = tokens.token(config, scope);
            steps.add("TOKEN", true, "token for " + scope + " from " + config.authorityHost()
                    + (t.expiresAt() == null ? "" : ", valid until " + t.expiresAt()));
            return t;
        } catch (TokenSource.TokenException e) {
            steps.add("TOKEN", false, e.errorCode() != null
                    ? config.authorityHost() + " refused the credentials: " + e.errorCode()
                    : "no token from " + config.authorityHost() + " (unreachable or no answer)");
            return null;
        }
    }

    private void graph(MailerConfig config, String sendTo, Steps steps) {
        TokenSource.AccessToken token = token(config, GraphCheck.scope(config), steps);
        if (token == null) {
            return;
        }
        steps.secret(token.value());
        EmailEvent email = testEmail(config, sendTo == null ? "nobody@example.invalid" : sendTo);
        String mailbox = SenderRules.from(email, config);
        steps.current = "GRAPH";
        if (mailbox == null) {
            steps.add("GRAPH", false, "no mailbox to send from: set postmaster");
            return;
        }
        GraphCheck.Outcome reach = new GraphCheck(graph).mailbox(config, mailbox);
        if (!steps.add("GRAPH", reach.ok(), reach.detail()) || sendTo == null) {
            return;
        }
        steps.current = "SEND";
        try (TransportSession session = new GraphSendTransport(graph, clock).open(config)) {
            SendOutcome outcome = session.send(email);
            if (outcome instanceof SendOutcome.Failed f) {
                steps.add("SEND", false, "to " + sendTo + " from " + mailbox + ": " + f.reason());
            } else {
                steps.add("SEND", true, "to " + sendTo + " from " + mailbox + ": Microsoft Graph accepted it");
            }
        }
    }

    private EmailEvent testEmail(MailerConfig config, String to) {
        return EmailEvent.builder("config-test-" + UUID.randomUUID()).tenant("config-test")
                .from(config.postmaster()).to(to).subject("kafka-mailer config test")
                .text("This is a test email sent by `mailer config test` at " + clock.instant()
                        + ". If you read it, the config works.")
                .build();
    }

    /** The steps so far; every detail is scrubbed of the secrets it must never show. */
    private static final class Steps {
        final List<ProbeStep> list = new ArrayList<>();
        final List<String> secrets = new ArrayList<>();
        final String server;
        String current = "CONNECT";

        Steps(MailerConfig config, String server) {
            this.server = server;
            for (Secret s : new Secret[] {config.smtpPassword(), config.clientSecret(),
                    config.fallbackSmtpPassword()}) {
                if (s != null) {
                    secret(s.reveal());
                }
            }
        }

        void secret(String value) {
            if (value != null && value.length() >= 3) {
                secrets.add(value);
            }
        }

        /** Adds a step; returns its outcome, so a caller can stop at a failure. */
        boolean add(String name, boolean ok, String detail) {
            String d = detail == null ? "" : detail;
            for (String s : secrets) {
                d = d.replace(s, Secret.REDACTED);
            }
            list.add(new ProbeStep(name, ok, d, server));
            return ok;
        }

        void failed(String name, String detail) {
            add(name, false, detail);
        }

        /** Appends a remark to the last step. */
        void note(String remark) {
            ProbeStep last = list.remove(list.size() - 1);
            add(last.name(), last.ok(), last.detail() + "; " + remark);
        }
    }
}
