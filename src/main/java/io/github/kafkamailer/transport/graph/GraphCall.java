package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.github.kafkamailer.failure.Causes;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.failure.ServerFault;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One Graph request for one email, and what became of it: renews the token once when Graph refuses it (401),
 * and classifies the failure by HTTP status and exception type, never by message text.
 *
 * <ul>
 *   <li>429 and 503 (after the SDK's own bounded retries honouring Retry-After): transient, and the rest of the
 *       run waits, since Graph asks us to slow down;</li>
 *   <li>401 again with a fresh token, no token at all, or Graph unreachable: transient, the rest of the run
 *       waits (it would fail the same way);</li>
 *   <li>other 4xx (408 aside): permanent, with Graph's error code in the reason;</li>
 *   <li>5xx and 408: transient.</li>
 * </ul>
 * A 5xx, Graph unreachable or TLS failing to it say so in the outcome's {@link ServerFault}, which a run with a
 * fallback server fails over by (CONTRACT.md, {@code fallbackSmtpHost}); a 429 or a refused token does not.
 */
final class GraphCall {
    private static final TransportKind KIND = TransportKind.GRAPH;

    private GraphCall() {
    }

    /** The request to make; {@code retry} goes into its request configuration's options. */
    @FunctionalInterface
    interface Request {
        void send(GraphServiceClient graph, RetryHandlerOption retry);
    }

    static SendOutcome execute(GraphClients.GraphClient client, GraphClients.Limits limits, Request request,
                               Supplier<SendOutcome> onSuccess) {
        boolean renewed = false;
        while (true) {
            try {
                request.send(client.service(), limits.retryOption());
                return onSuccess.get();
            } catch (ApiException e) {
                if (e.getResponseStatusCode() == 401 && !renewed) {
                    client.tokens().invalidate();
                    renewed = true;
                    continue;
                }
                return ofResponse(e);
            } catch (TokenSource.TokenException e) {
                return noToken(e);
            } catch (RuntimeException e) {
                // The SDK wraps what OkHttp throws (refused, timed out, TLS failed) in a bare RuntimeException.
                IOException io = Causes.find(e, IOException.class).orElse(null);
                if (io == null) {
                    throw e;
                }
                return new SendOutcome.Failed(KIND, FailureClass.TRANSIENT,
                        "cannot reach Microsoft Graph at " + client.host() + ": " + io, true)
                        .withServerFault(io instanceof javax.net.ssl.SSLException ? ServerFault.TLS
                                : ServerFault.UNREACHABLE);
            }
        }
    }

    static SendOutcome.Failed ofResponse(ApiException e) {
        int status = e.getResponseStatusCode();
        String what = describe(e);
        if (status == 401) {
            return new SendOutcome.Failed(KIND, FailureClass.TRANSIENT,
                    "Microsoft Graph refused a renewed token too: " + what, true)
                    .withServerFault(ServerFault.REFUSED);
        }
        if (status == 429 || status == 503) {
            String after = header(e, "Retry-After");
            // Throttled: the whole tenant waits (at least Retry-After), not only this email.
            // 503 is a server error too (the run may fail over); 429 only asks us to slow down.
            return new SendOutcome.Failed(KIND, FailureClass.TRANSIENT, "Microsoft Graph still answers " + what
                    + " after the retries" + (after == null ? "" : " (Retry-After: " + after + ")"), true,
                    status == 429 ? retryAfter(after) : null, status == 503 ? ServerFault.SERVER_ERROR : null);
        }
        if (status >= 400 && status < 500 && status != 408) {
            return new SendOutcome.Failed(KIND, FailureClass.PERMANENT, "Microsoft Graph refused the email: " + what,
                    false);
        }
        return new SendOutcome.Failed(KIND, FailureClass.TRANSIENT, "Microsoft Graph failed: " + what, false,
                null, status >= 500 ? ServerFault.SERVER_ERROR : null);
    }

    /** Retry-After in seconds (the form Graph uses), capped at an hour; zero when absent or unreadable. */
    static java.time.Duration retryAfter(String header) {
        if (header == null) {
            return java.time.Duration.ZERO;
        }
        try {
            long s = Long.parseLong(header.strip());
            return java.time.Duration.ofSeconds(Math.max(0, Math.min(s, 3600)));
        } catch (NumberFormatException notSeconds) {
            return java.time.Duration.ZERO;
        }
    }

    private static SendOutcome.Failed noToken(TokenSource.TokenException e) {
        String code = e.errorCode() == null ? "" : " (" + e.errorCode() + ")";
        return new SendOutcome.Failed(KIND, FailureClass.TRANSIENT,
                "no Microsoft identity token for Graph" + code + ": " + e.getMessage(), true)
                .withServerFault(ServerFault.REFUSED);
    }

    /** {@code HTTP 403 ErrorAccessDenied: Access is denied.}: the status, Graph's error code and its message. */
    static String describe(ApiException e) {
        StringBuilder s = new StringBuilder("HTTP ").append(e.getResponseStatusCode());
        if (e instanceof ODataError o && o.getError() != null) {
            if (o.getError().getCode() != null) {
                s.append(' ').append(o.getError().getCode());
            }
            if (o.getError().getMessage() != null) {
                s.append(": ").append(o.getError().getMessage());
            }
        }
        return s.toString();
    }

    private static String header(ApiException e, String name) {
        if (e.getResponseHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, Set<String>> h : e.getResponseHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().iterator().next();
            }
        }
        return null;
    }

}
