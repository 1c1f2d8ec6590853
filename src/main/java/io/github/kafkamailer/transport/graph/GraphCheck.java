package io.github.kafkamailer.transport.graph;

import com.microsoft.kiota.ApiException;
import io.github.kafkamailer.failure.Causes;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.io.IOException;
import java.net.URI;

/**
 * What {@code config test} asks of Microsoft Graph without sending: is the endpoint reachable, does it take the
 * tenant's token, and does it know the mailbox. It uses the clients a send uses (same endpoint, token, TLS).
 */
public final class GraphCheck {
    /** One step's outcome; the detail never holds a token or secret. */
    public record Outcome(boolean ok, String detail) {
    }

    private final GraphClients clients;

    public GraphCheck(GraphClients clients) {
        this.clients = clients;
    }

    /** The token scope for this config's Graph endpoint, e.g. {@code https://graph.microsoft.com/.default}. */
    public static String scope(MailerConfig config) {
        return GraphTokens.scopeOf(URI.create(config.graphBaseUrl()));
    }

    /**
     * {@code GET /users/{mailbox}}. A 403 still proves that Graph took the token: an app allowed to send
     * ({@code Mail.Send}) need not be allowed to read users, so that counts as reachable, with a note.
     */
    public Outcome mailbox(MailerConfig config, String mailbox) {
        GraphClients.GraphClient client = clients.client(config);
        try {
            client.service().users().byUserId(mailbox).get();
            return new Outcome(true, "Graph at " + client.host() + " took the token and knows " + mailbox);
        } catch (ApiException e) {
            int status = e.getResponseStatusCode();
            String what = GraphCall.describe(e);
            if (status == 403) {
                return new Outcome(true, "Graph at " + client.host() + " took the token; reading " + mailbox
                        + " is not allowed (" + what + "), which sending does not need: --send-to tries a real send");
            }
            if (status == 401) {
                return new Outcome(false, "Graph at " + client.host() + " refused the token: " + what);
            }
            if (status == 404) {
                return new Outcome(false, "Graph at " + client.host() + " does not know the mailbox " + mailbox
                        + ": " + what);
            }
            return new Outcome(false, "Graph at " + client.host() + " answered " + what);
        } catch (TokenSource.TokenException e) {
            return new Outcome(false, "no token" + (e.errorCode() == null ? "" : ": " + e.errorCode()));
        } catch (RuntimeException e) {
            IOException io = Causes.find(e, IOException.class).orElse(null);
            if (io == null) {
                return new Outcome(false, "Graph call failed: " + e.getClass().getSimpleName());
            }
            return new Outcome(false, "cannot reach Microsoft Graph at " + client.host() + ": " + io);
        }
    }
}
