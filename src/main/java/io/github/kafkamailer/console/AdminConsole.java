package io.github.kafkamailer.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import io.github.kafkamailer.admin.ConfigAdmin;
import io.github.kafkamailer.admin.DeadLetterAdmin;
import io.github.kafkamailer.admin.KafkaAccess;
import io.github.kafkamailer.admin.StatusAdmin;
import io.github.kafkamailer.admin.StatusLookup;
import io.github.kafkamailer.admin.TenantOverviews;
import io.github.kafkamailer.probe.ConfigProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin console at {@code /console/} (CONTRACT.md, "Admin console"): a sign-in page, the pages (served from
 * the jar) and their JSON endpoints under {@code /console/api/}. Every page but the sign-in needs a session;
 * every POST but the sign-in needs the session's CSRF token, and a same-origin {@code Origin} when the browser
 * sends one. Wrong passwords are throttled per address; changes are written to the audit log.
 * The process mounts it only when an admin password is set, so without one {@code /console/} is a 404.
 */
public final class AdminConsole implements HttpHandler, AutoCloseable {
    public static final String PATH = "/console";
    static final String COOKIE = "mailer_console";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Logger LOG = LoggerFactory.getLogger(AdminConsole.class);

    private final ConsoleSettings settings;
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
                new StatusEndpoints(latest, statuses, configs, pending, lastHour, s.clock())),
                List.of(follower, configs, deadLetters, statuses));
    }

    /** What a group of endpoints does to join the console. */
    interface Endpoints {
        void register(Routes routes);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getPath();
            Call call = new Call(exchange, raw.length() <= PATH.length() ? "" : raw.substring(PATH.length()));
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

    private void route(Call call) throws IOException {
        String path = call.path();
        if (path.isEmpty()) {
            call.redirect(PATH + "/");
            return;
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
                    call.redirect(PATH + "/");
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
            call.redirect(PATH + "/login");
            return;
        }
        StaticAssets.Asset a = assets.get(name).orElseThrow(() -> new IllegalStateException("missing " + name));
        call.send(200, a.type(), a.bytes());
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
        call.json(200, Map.of("csrf", s.csrf(), "who", s.who()));
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
     * The session cookie: script can't read it (HttpOnly), other sites' requests don't carry it (SameSite=Strict),
     * and it is Secure when a TLS proxy in front says the browser came over HTTPS.
     */
    private static String cookie(Call call, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(call.header("X-Forwarded-Proto"));
        return COOKIE + "=" + value + "; Path=" + PATH + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : "");
    }

    private static void requireCsrfToken(Call call) {
        if (!Sessions.sameSecret(call.session().csrf(), call.header(CSRF_HEADER))) {
            throw new Call.Refused(403, "missing or wrong CSRF token: reload the page");
        }
    }

    /** A browser names the page a POST comes from; one from another origin is refused. */
    private static void requireSameOrigin(Call call) {
        String origin = call.header("Origin");
        String host = call.header("Host");
        if (origin == null) {
            return;
        }
        String bare = origin.replaceFirst("^https?://", "");
        if (host == null || !bare.equalsIgnoreCase(host)) {
            throw new Call.Refused(403, "cross-origin request refused");
        }
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
