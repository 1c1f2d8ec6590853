package io.github.kafkamailer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The store names are part of every deployment's state: each names a state directory and a changelog topic (the
 * repartition by tenant names a topic). A changed value would start that state empty, so they are pinned here.
 */
class StoreNamesTest {
    @Test
    void shouldKeepEveryStoreNameDeploymentsAlreadyHold() throws IllegalAccessException {
        Map<String, Object> names = new TreeMap<>();
        for (Field f : StoreNames.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.put(f.getName(), f.get(null));
            }
        }
        assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("CONFIG_STORE", "config-table"),
                Map.entry("PENDING_STORE", "pending-emails"),
                Map.entry("SENT_IDS_STORE", "sent-tenant-ids"),
                Map.entry("SENT_EXPIRY_STORE", "sent-expiry"),
                Map.entry("PENDING_COUNTS_STORE", "pending-counts"),
                Map.entry("RATE_STORE", "rate-windows"),
                Map.entry("IN_FLIGHT_STORE", "in-flight"),
                Map.entry("HIGH_SOURCES_STORE", "high-sources"),
                Map.entry("HIGH_SOURCES_EXPIRY_STORE", "high-sources-expiry"),
                Map.entry("BY_TENANT", "by-tenant"),
                Map.entry("BY_TENANT_HIGH", "by-tenant-high"),
                Map.entry("STATUS_LATEST_STORE", "status-latest"),
                Map.entry("STATUS_EXPIRY_STORE", "status-expiry"),
                Map.entry("BOUNCE_STORE", "bounce-reports"),
                Map.entry("SUPPRESSIONS_STORE", "suppressions"),
                Map.entry("TEMPLATES_STORE", "templates")));
    }

    @Test
    void shouldKeepTheDefaultTopicNames() {
        assertThat(TopicNames.defaults())
                .isEqualTo(new TopicNames("mail.outbox", "mail.config", "mail.retry", "mail.dlq", "mail.status",
                        "mail.templates", "mail.suppressions"));
    }
}
