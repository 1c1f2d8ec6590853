package io.github.kafkamailer.transport.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph clients (each holding a tenant's token) are dropped once unused, so a changed secret leaves nothing. */
class GraphClientsEvictionTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

    private static MailerConfig config(String secret) {
        return io.github.kafkamailer.model.ConfigRules.parse(Map.of("enabled", true, "useGraphApi", true,
                "tenantId", "tenant-1", "clientId", "client-1", "clientSecret", secret,
                "postmaster", "noreply@example.com", "graphBaseUrl", "https://localhost:1/v1.0"));
    }

    @Test
    void shouldDropTheClientOfAnOldSecretOnceUnusedForAnHour() {
        GraphClients clients = new GraphClients(new CountingTokenSource(), clock, GraphClients.Limits.defaults());
        GraphClients.GraphClient old = clients.client(config("old"));
        clients.client(config("new"));
        assertThat(clients.size()).isEqualTo(2);
        assertThat(clients.client(config("old"))).isSameAs(old);

        clock.advance(GraphClients.IDLE_EVICTION.minusMinutes(1));
        clients.client(config("new"));
        clock.advance(Duration.ofMinutes(2));
        clients.client(config("new"));

        assertThat(clients.size()).isEqualTo(1);
        assertThat(clients.client(config("old"))).isNotSameAs(old);
    }
}
