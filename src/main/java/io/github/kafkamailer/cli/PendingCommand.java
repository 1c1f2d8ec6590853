package io.github.kafkamailer.cli;

import io.github.kafkamailer.admin.TenantOverview;
import io.github.kafkamailer.admin.TenantOverviews;
import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.http.ApiGuard;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pending", mixinStandardHelpOptions = true,
        description = {"Prints, per tenant, what the running mailer holds: emails due now, emails waiting for a retry,"
                + " the oldest pending email's age, the last sending run and the last error.",
                "It asks a running mailer's HTTP server (GET /api/pending), which adds up every instance of the"
                        + " application; an instance that does not answer is named.",
                "The mailer answers only with the peers' token: --token, else $" + ProcessSettings.HTTP_PEER_TOKEN_ENV
                        + ", else the one the mailer derives from $" + ProcessSettings.CONSOLE_PASSWORD_ENV + "."})
final class PendingCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "A running mailer's HTTP address (default: ${DEFAULT-VALUE}; see mailer.http.port).")
    String url;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The mailer's peer token (mailer.http.peer.token). Default: $" + ProcessSettings.HTTP_PEER_TOKEN_ENV
                    + ", else derived from $" + ProcessSettings.CONSOLE_PASSWORD_ENV + " as the mailer does.")
    String token;

    @Spec
    CommandSpec spec;

    /** The token to send: the flag, the peers' variable, or the one the mailer derives from the admin password. */
    static Optional<String> token(String flag, Map<String, String> env) {
        if (flag != null && !flag.isBlank()) {
            return Optional.of(flag.strip());
        }
        String fromEnv = env.get(ProcessSettings.HTTP_PEER_TOKEN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        String password = env.get(ProcessSettings.CONSOLE_PASSWORD_ENV);
        return password == null || password.isEmpty() ? Optional.empty()
                : Optional.of(ApiGuard.tokenFromPassword(password));
    }

    @Override
    public Integer call() {
        URI uri;
        try {
            uri = URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/api/pending");
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("no http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--url must be an http(s) URL such as http://127.0.0.1:8080, got '" + url + "'");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        Optional<String> bearer = token(token, System.getenv());
        String body;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t));
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401) {
                throw new IllegalStateException("the mailer at " + url + " refused "
                        + (bearer.isPresent() ? "this token" : "a request without a token") + " (HTTP 401): give its"
                        + " peer token with --token or $" + ProcessSettings.HTTP_PEER_TOKEN_ENV + " (the mailer's "
                        + ProcessSettings.HTTP_PEER_TOKEN + "), or set $" + ProcessSettings.CONSOLE_PASSWORD_ENV
                        + " to its admin password");
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the mailer at " + url + " answered HTTP " + r.statusCode()
                        + " to GET /api/pending (is it a mailer of this version?)");
            }
            body = r.body();
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException("no answer from the mailer at " + url + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the mailer at " + url + " (" + e.getClass().getSimpleName()
                    + "): is it running, and is its HTTP port " + uri.getPort() + "?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        TenantOverviews.Answer answer = TenantOverviews.fromJson(body);
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-16s %8s %10s %12s %-24s %s%n";
        out.printf(format, "TENANT", "DUE NOW", "RETRYING", "OLDEST AGE", "LAST RUN", "LAST ERROR");
        for (TenantOverview t : answer.tenants()) {
            out.printf(format, Terminal.cut(t.tenant(), 16), t.dueNow(), t.waitingForRetry(),
                    t.oldestPendingAgeSeconds() == null ? "-" : age(t.oldestPendingAgeSeconds()),
                    t.lastRunAt() == null ? "-" : t.lastRunAt(), t.lastError() == null ? "" : Terminal.cut(t.lastError(), 100));
        }
        if (answer.tenants().isEmpty()) {
            out.println("(no tenant has pending emails or a sending run yet)");
        }
        int down = 0;
        for (TenantOverviews.Instance i : answer.instances()) {
            if (!i.ok()) {
                down++;
                spec.commandLine().getErr().println("warning: instance " + Terminal.clean(i.address())
                        + " did not answer (" + Terminal.clean(i.error()) + "): its emails are not counted");
            }
        }
        out.println(answer.instances().size() + " instance(s)" + (down == 0 ? "" : ", " + down + " not answering"));
        return down == 0 ? 0 : MailerCli.FAILED;
    }

    static String age(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        if (seconds < 172_800) {
            return seconds / 3600 + " h";
        }
        return seconds / 86_400 + " d";
    }
}
