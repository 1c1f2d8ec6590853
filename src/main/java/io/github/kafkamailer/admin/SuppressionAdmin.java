package io.github.kafkamailer.admin;

import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.model.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds, lifts and lists the suppressed recipients on the suppressions topic (CONTRACT.md, "Suppression record"):
 * for {@code mailer suppress} and the console. The list is the topic read to its end with the mailer's own rules
 * (a record that breaks one is ignored, a tombstone lifts), so it shows what the mailer holds.
 */
public final class SuppressionAdmin {
    private final KafkaAccess kafka;
    private final TopicNames topics;

    public SuppressionAdmin(KafkaAccess kafka, TopicNames topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /**
     * Suppresses {@code address} for the tenant's emails from now on.
     *
     * @throws InvalidRecordException naming the bad tenant or address; nothing is published
     */
    public Suppression add(String tenant, String address, SuppressionReason reason, Instant at) {
        Suppression s = new Suppression(checkedTenant(tenant), checkedAddress(address), reason, at);
        byte[] value = SuppressionJson.write(s);
        // Checked as the mailer will read it, key included.
        SuppressionJson.parse(s.key(), value);
        kafka.publish(topics.suppressions(), s.key().getBytes(StandardCharsets.UTF_8), value);
        return s;
    }

    /**
     * Lifts the suppression of {@code address} (a tombstone), whether or not one is in force.
     *
     * @return the key lifted
     * @throws InvalidRecordException naming the bad tenant or address; nothing is published
     */
    public String remove(String tenant, String address) {
        String key = Suppression.keyOf(checkedTenant(tenant), checkedAddress(address));
        kafka.publish(topics.suppressions(), key.getBytes(StandardCharsets.UTF_8), null);
        return key;
    }

    /**
     * The suppressions in force, sorted by key; {@code tenant} and {@code address}, when not null, keep only those
     * of that tenant and that address (compared normalized).
     */
    public List<Suppression> list(String tenant, String address) {
        String wanted = address == null ? null : Suppression.normalize(address);
        Map<String, Suppression> inForce = kafka.latestValid(topics.suppressions(), SuppressionJson::parse);
        List<Suppression> out = new ArrayList<>();
        for (Suppression s : inForce.values()) {
            if ((tenant == null || tenant.equals(s.tenant())) && (wanted == null || wanted.equals(s.address()))) {
                out.add(s);
            }
        }
        return out;
    }

    private static String checkedTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw new InvalidRecordException("tenant", "is required");
        }
        return tenant;
    }

    private static String checkedAddress(String address) {
        String problem = Addresses.problem(address);
        if (problem != null) {
            throw new InvalidRecordException(List.of(new Violation("address", problem)));
        }
        return address;
    }
}
