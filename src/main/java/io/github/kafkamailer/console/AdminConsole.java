package io.github.kafkamailer.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.DeadLetterAdmin;
import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.admin.StatusLookup;
import io.github.kafkamailer.admin.SuppressionAdmin;
import io.github.kafkamailer.admin.TemplateAdmin;
import io.github.kafkamailer.admin.TenantOverviews;
import io.github.kafkamailer.probe.ConfigProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin console at its base path, {@code /console/} unless {@code mailer.console.base.path} says otherwise
 * (CONTRACT.md, "Admin console"): a sign-in page, the pages (served from the jar) and their JSON endpoints under
 * {@code <base>api/}. Every page but the sign-in needs a session; every POST but the sign-in needs the session's
 * CSRF token, and a same-origin {@code Origin} when the browser sends one. Wrong passwords are throttled per
 * client; changes are written to the audit log. Behind a trusted reverse proxy the client, host and scheme are the
 * ones the proxy forwards ({@link TrustedProxies}). The pages learn the base path from the server (a
 * {@code <meta name="console-base">} filled in here): no script names it.
 * The process mounts it only when an admin password is set, so without one the base path is a 404.
 */
public final class AdminConsole implements HttpHandler, AutoCloseable {
    /** In the pages, what the server replaces with the base path. */
    static final String BASE_PLACEHOLDER = "{{base}}";
    static final String COOKIE = "mailer_console";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** An {@code Origin} header: scheme and host (with its port, if any). */
    private static final Pattern ORIGIN = Pattern.compile("(?i)(https?)://([^/]+)");
    private static final Logger LOG = LoggerFactory.getLogger(AdminConsole.class);

    private final ConsoleSettings settings;
    private final String base;
    private final String context;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final StaticAssets assets = new StaticAssets();
    private final Routes routes = new Routes();
    private final List<AutoCloseable> resources;

    /**
     * @param resources what the endpoints hold open (Kafka clients, the last-hour follower); closed with the console
     */
    AdminConsole(ConsoleSettings settings, Sessions sessions, LoginThrottle throttle, AuditLog audit,
                 List<Endpoints> endpoints, List<AutoCloseable> resources) {
        this.settings = settings;
        this.base = settings.basePath();
        this.context = base.substring(0, base.length() - 1);
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.resources = resources;
        routes.get("/api/session", this::session);
        routes.get("/api/schema", call -> call.json(200, ConfigForm.schema()));
        endpoints.forEach(e -> e.register(routes));
    }

    /**
     * The console with its endpoints over the admin library, and the follower of the topics that counts the last
     * hour; close it to stop them.
     *
     * @param outcomes the config table's listener, to tell the page whether its record was applied or rejected
     * @param pending  what is pending per tenant, with each tenant's last run and error, over every instance
     * @param latest   the latest status of an email, from the mailer's store over every instance
     */
    public static AdminConsole create(ConsoleSettings s, ConfigOutcomes outcomes,
                                      Supplier<TenantOverviews.Answer> pending, StatusLookup latest) {
        KafkaAccess kafka = new KafkaAccess(s.kafkaClientProps(), ConsoleSettings.KAFKA_TIMEOUT);
        ConfigAdmin configs = new ConfigAdmin(kafka, s.topics());
        DeadLetterAdmin deadLetters = new DeadLetterAdmin(kafka, s.topics());
        StatusAdmin statuses = new StatusAdmin(kafka, s.topics());
        ConfigProbe probe = new ConfigProbe(s.tokens(), s.tls(), s.clock(), ConsoleSettings.PROBE_TIMEOUT);
        AuditLog audit = new AuditLog(s.clock());
        LastHour lastHour = new LastHour(s.clock());
        LastHourFollower follower = new LastHourFollower(kafka, s.topics(), lastHour, s.clock()).start();
        return new AdminConsole(s, new Sessions(s.clock(), s.sessionIdle(), ConsoleSettings.SESSION_ABSOLUTE),
                LoginThrottle.standard(s.clock()), audit, List.of(
                new ConfigEndpoints(configs, outcomes, probe, s.secrets(), audit),
                new DeadLetterEndpoints(deadLetters, audit),
                new StatusEndpoints(latest, statuses, configs, pending, lastHour, s.clock()),
                new SuppressionEndpoints(new SuppressionAdmin(kafka, s.topics()), audit, s.clock()),
                new TemplateEndpoints(new TemplateAdmin(kafka, s.topics()), audit, s.clock())),
                List.of(follower, configs, deadLetters, statuses));
    }

    /** Where the console is served, such as {@code /console/}: starts and ends with {@code /}. */
    public String basePath() {
        return base;
    }

    /** The HTTP server context to mount the console on: the base path without its final {@code /}. */
    public String contextPath() {
        return context;
    }

    /** What a group of endpoints does to join the console. */
    interface Endpoints {
        void register(Routes routes);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getPath();
            Call call = new Call(exchange, raw.length() <= context.length() ? "" : raw.substring(context.length()),
                    settings.proxies());
            try {
                route(call);
            } catch (Call.Refused r) {
                call.error(r.status, r.getMessage());
            } catch (RuntimeException e) {
                // The reason goes to the log and, as one line, to the admin: Kafka unreachable, topic missing.
                LOG.warn("Console request {} {} failed: {}", call.method(), call.path(), e.toString());
                call.error(500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
    }

    /** Whether {@code exchange} carries a live console session: the API ({@code /api/...}) accepts one too. */
    public boolean signedIn(HttpExchange exchange) {
        return Call.cookie(exchange, COOKIE).flatMap(sessions::find).isPresent();
    }

    private void route(Call call) throws IOException {
        String path = call.path();
        if (path.isEmpty()) {
            call.redirect(base);
            return;
        }
        if (!path.startsWith("/")) {
            throw new Call.Refused(404, "not found");
        }
        if (path.startsWith("/assets/")) {
            asset(call, path.substring("/assets/".length()));
            return;
        }
        Optional<Sessions.Session> session = call.cookie(COOKIE).flatMap(sessions::find);
        session.ifPresent(call::signedIn);
        switch (path) {
            case "/" -> page(call, session.isPresent() ? "app.html" : null);
            case "/login" -> {
                if (call.isPost()) {
                    login(call);
                } else if (session.isPresent()) {
                    call.redirect(base);
                } else {
                    page(call, "login.html");
                }
            }
            case "/logout" -> logout(call);
            default -> api(call);
        }
    }

    private void api(Call call) throws IOException {
        Routes.Endpoint e = routes.find(call.method(), call.path());
        if (e == null) {
            if (routes.knows(call.path())) {
                throw new Call.Refused(405, "method not allowed");
            }
            throw new Call.Refused(404, "not found");
        }
        if (call.session() == null) {
            throw new Call.Refused(401, "sign in first");
        }
        if (call.isPost()) {
            requireSameOrigin(call);
            requireCsrfToken(call);
        }
        e.handle(call);
    }

    private void page(Call call, String name) throws IOException {
        if (!call.isGet()) {
            throw new Call.Refused(405, "method not allowed");
        }
        if (name == null) {
            call.redirect(base + "login");
            return;
        }
        StaticAssets.Asset a = assets.get(name).orElseThrow(() -> new IllegalStateException("missing " + name));
        // The base path is plain names between slashes (ConsoleSettings.checkBasePath): nothing to escape.
        String html = new String(a.bytes(), StandardCharsets.UTF_8).replace(BASE_PLACEHOLDER, base);
        call.send(200, a.type(), html.getBytes(StandardCharsets.UTF_8));
    }

    private void asset(Call call, String name) throws IOException {
        if (!call.isGet()) {
            throw new Call.Refused(405, "method not allowed");
        }
        Optional<StaticAssets.Asset> a = assets.get(name);
        if (a.isEmpty()) {
            throw new Call.Refused(404, "not found");
        }
        call.setHeader("Cache-Control", "no-cache");
        call.send(200, a.get().type(), a.get().bytes());
    }

    private void session(Call call) throws IOException {
        Sessions.Session s = call.session();
        call.json(200, Map.of("csrf", s.csrf(), "who", s.who(), "base", base));
    }

    private void login(Call call) throws IOException {
        requireSameOrigin(call);
        String client = call.client();
        Optional<Duration> locked = throttle.lockedFor(client);
        if (locked.isPresent()) {
            long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
            call.setHeader("Retry-After", Long.toString(seconds));
            throw new Call.Refused(429, "Too many wrong passwords: try again in " + seconds + " s.");
        }
        Object password = call.jsonBody().get("password");
        if (!(password instanceof String given) || !Sessions.sameSecret(settings.password(), given)) {
            throttle.failed(client);
            audit.record("anonymous@" + client, "login.failed");
            throw new Call.Refused(401, "Wrong password.");
        }
        throttle.succeeded(client);
        Sessions.Session s = sessions.create("admin");
        call.signedIn(s);
        call.setHeader("Set-Cookie", cookie(call, s.id(), sessions.cookieLifetime().toSeconds()));
        audit.record(call.who(), "login");
        call.noContent();
    }

    private void logout(Call call) throws IOException {
        if (!call.isPost()) {
            throw new Call.Refused(405, "method not allowed");
        }
        if (call.session() != null) {
            requireSameOrigin(call);
            requireCsrfToken(call);
            audit.record(call.who(), "logout");
            sessions.end(call.session().id());
        }
        call.setHeader("Set-Cookie", cookie(call, "", 0));
        call.noContent();
    }

    /**
     * The session cookie, for the console's paths only: script can't read it (HttpOnly), other sites' requests
     * don't carry it (SameSite=Strict), and it is Secure when a trusted TLS proxy in front says the browser came
     * over HTTPS.
     */
    private String cookie(Call call, String value, long maxAgeSeconds) {
        boolean https = call.forwardedScheme().filter("https"::equals).isPresent();
        return COOKIE + "=" + value + "; Path=" + context + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    private static void requireCsrfToken(Call call) {
        if (!Sessions.sameSecret(call.session().csrf(), call.header(CSRF_HEADER))) {
            throw new Call.Refused(403, "missing or wrong CSRF token: reload the page");
        }
    }

    /**
     * A browser names the page a POST comes from; one from another origin is refused. The origin the console
     * expects is the host the browser asked for ({@link Call#host()}: a trusted proxy's {@code X-Forwarded-Host},
     * else {@code Host}) and, when a trusted proxy says which, the scheme; default ports count as absent.
     */
    private static void requireSameOrigin(Call call) {
        String origin = call.header("Origin");
        if (origin == null) {
            return;
        }
        String host = call.host();
        Matcher m = ORIGIN.matcher(origin.strip());
        if (host == null || !m.matches()) {
            throw new Call.Refused(403, "cross-origin request refused");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        boolean otherScheme = call.forwardedScheme().filter(s -> !s.equals(scheme)).isPresent();
        if (otherScheme || !withoutDefaultPort(m.group(2), scheme).equalsIgnoreCase(withoutDefaultPort(host, scheme))) {
            throw new Call.Refused(403, "cross-origin request refused");
        }
    }

    private static String withoutDefaultPort(String host, String scheme) {
        String port = scheme.equals("https") ? ":443" : ":80";
        return host.endsWith(port) ? host.substring(0, host.length() - port.length()) : host;
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", r, e.toString());
            }
        }
    }
}
