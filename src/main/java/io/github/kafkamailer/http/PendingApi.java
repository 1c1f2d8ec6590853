package io.github.kafkamailer.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.kafkamailer.admin.TenantOverview;
import io.github.kafkamailer.admin.TenantOverviews;
import io.github.kafkamailer.sending.TenantActivity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/pending}: per tenant, emails due now, waiting for a retry, the oldest pending one's age, the
 * last run and the last error, over the whole application. Each instance holds the pending emails of its own
 * tasks, so this one asks its peers ({@code GET /api/pending?scope=local}), found through Kafka Streams'
 * metadata, where each instance's {@code application.server} is its HTTP address. A peer that doesn't answer
 * is named in {@code instances}, and the totals leave it out. It answers a console session or a peer with the
 * peers' token only ({@link ApiGuard}), and sends that token to its peers.
 */
public final class PendingApi implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PendingApi.class);
    public static final String PATH = "/api/pending";

    private final Supplier<KafkaStreams> streams;
    private final PendingCounts counts;
    private final TenantActivity activity;
    private final Clock clock;
    private final String self;
    private final HttpClient http;
    private final Duration peerTimeout;
    private final Optional<String> peerToken;

    /**
     * @param streams   where the peers are found (their {@code application.server})
     * @param counts    this instance's pending emails
     * @param self      this instance's {@code application.server} (host:port), so it doesn't ask itself
     * @param peerToken what the peers expect in {@code Authorization: Bearer}; empty for none
     */
    public PendingApi(Supplier<KafkaStreams> streams, PendingCounts counts, TenantActivity activity, Clock clock,
                      String self, Duration peerTimeout, Optional<String> peerToken) {
        this.streams = streams;
        this.counts = counts;
        this.activity = activity;
        this.clock = clock;
        this.self = self;
        this.peerTimeout = peerTimeout;
        this.peerToken = peerToken;
        this.http = HttpClient.newBuilder().connectTimeout(peerTimeout).build();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            String query = ex.getRequestURI().getQuery();
            boolean localOnly = query != null && query.contains("scope=local");
            TenantOverviews.Answer answer;
            try {
                List<TenantOverview> mine = local();
                answer = localOnly
                        ? new TenantOverviews.Answer(mine, List.of(new TenantOverviews.Instance(self, true, null)))
                        : withPeers(mine);
            } catch (RuntimeException e) {
                // Said here: the JDK's server would only drop the connection, and the asker see "cannot reach".
                LOG.warn("GET {} failed: {}", PATH, e.toString(), e);
                ex.sendResponseHeaders(500, -1);
                return;
            }
            byte[] body = TenantOverviews.toJson(answer).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The answer over every instance, as {@code GET /api/pending} gives it (the admin console shows it too). */
    public TenantOverviews.Answer overview() {
        return withPeers(local());
    }

    /** This instance's part: its tasks' pending emails and its tenants' last runs. */
    List<TenantOverview> local() {
        Instant now = clock.instant();
        Map<String, PendingCounts.Pending> pending = counts.byTenant(now,
                t -> activity.firstPendingAcceptedAt(t).orElse(null));
        Set<String> tenants = new TreeSet<>(pending.keySet());
        activity.all().forEach(a -> tenants.add(a.tenant()));
        List<TenantOverview> out = new ArrayList<>();
        for (String t : tenants) {
            PendingCounts.Pending p = pending.get(t);
            TenantActivity.Snapshot a = activity.of(t).orElse(null);
            out.add(new TenantOverview(t, p == null ? 0 : p.dueNow(), p == null ? 0 : p.waitingForRetry(),
                    p == null || p.oldestAcceptedAt() == null ? null
                            : Math.max(0, Duration.between(p.oldestAcceptedAt(), now).toSeconds()),
                    a == null ? null : a.lastRunAt(), a == null ? null : a.lastError()));
        }
        return out;
    }

    private TenantOverviews.Answer withPeers(List<TenantOverview> mine) {
        List<TenantOverview> parts = new ArrayList<>(mine);
        List<TenantOverviews.Instance> instances = new ArrayList<>();
        instances.add(new TenantOverviews.Instance(self, true, null));
        for (String peer : peers()) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + peer + PATH
                        + "?scope=local")).timeout(peerTimeout).GET();
                peerToken.ifPresent(t -> request.header("Authorization", "Bearer " + t));
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 401) {
                    instances.add(new TenantOverviews.Instance(peer, false, "HTTP 401: give every instance the same"
                            + " mailer.http.peer.token (or the same admin password)"));
                    continue;
                }
                if (r.statusCode() != 200) {
                    instances.add(new TenantOverviews.Instance(peer, false, "HTTP " + r.statusCode()));
                    continue;
                }
                parts.addAll(TenantOverviews.fromJson(r.body()).tenants());
                instances.add(new TenantOverviews.Instance(peer, true, null));
            } catch (IOException | IllegalArgumentException e) {
                instances.add(new TenantOverviews.Instance(peer, false, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                instances.add(new TenantOverviews.Instance(peer, false, "interrupted"));
            }
        }
        return new TenantOverviews.Answer(TenantOverviews.merge(parts), instances);
    }

    /** The other instances' HTTP addresses, from Kafka Streams' metadata. */
    private Set<String> peers() {
        Set<String> out = new LinkedHashSet<>();
        KafkaStreams s = streams.get();
        if (s == null) {
            return out;
        }
        try {
            for (StreamsMetadata m : s.metadataForAllStreamsClients()) {
                HostInfo h = m.hostInfo();
                String address = h.host() + ":" + h.port();
                if (h.port() > 0 && !address.equals(self) && !"unavailable".equals(h.host())) {
                    out.add(address);
                }
            }
        } catch (RuntimeException notRunningYet) {
            // Starting or rebalancing: this instance answers for itself.
        }
        return out;
    }
}
