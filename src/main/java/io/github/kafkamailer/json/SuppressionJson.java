package io.github.kafkamailer.json;

import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import io.github.kafkamailer.model.Violation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Suppression records to and from the JSON of the suppressions topic, with the contract's rules. */
public final class SuppressionJson {
    private static final Set<String> FIELDS = Set.of("tenant", "address", "reason", "at");

    private SuppressionJson() {
    }

    public static byte[] write(Suppression s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", s.tenant());
        m.put("address", s.address());
        m.put("reason", s.reason().name());
        m.put("at", s.at().toString());
        return Json.write(m, false);
    }

    /**
     * A suppression record as read from the topic under {@code key}.
     *
     * @throws InvalidRecordException naming every broken rule (unknown field, bad reason or address, a key that
     *                                is not {@code TENANT/ADDRESS} of the value)
     */
    public static Suppression parse(String key, byte[] bytes) {
        Map<String, Object> m = Json.object(bytes);
        List<Violation> broken = new ArrayList<>();
        for (String field : m.keySet()) {
            if (!FIELDS.contains(field)) {
                broken.add(new Violation(field, "is not a field of a suppression record"));
            }
        }
        String tenant = text(m, "tenant", broken);
        String address = text(m, "address", broken);
        if (address != null && Addresses.problem(address) != null) {
            broken.add(new Violation("address", Addresses.problem(address)));
        }
        SuppressionReason reason = null;
        String reasonText = text(m, "reason", broken);
        if (reasonText != null) {
            try {
                reason = SuppressionReason.valueOf(reasonText);
            } catch (IllegalArgumentException e) {
                broken.add(new Violation("reason", "must be one of " + Arrays.toString(SuppressionReason.values())));
            }
        }
        Instant at = null;
        String atText = text(m, "at", broken);
        if (atText != null) {
            try {
                at = Instant.parse(atText);
            } catch (DateTimeParseException e) {
                broken.add(new Violation("at", "must be an ISO-8601 instant such as 2026-12-04T10:00:00Z"));
            }
        }
        if (broken.isEmpty() && key != null && !key.equals(Suppression.keyOf(tenant, address))) {
            broken.add(new Violation("key", "must be TENANT/ADDRESS of the value, the address lower-cased ('"
                    + Suppression.keyOf(tenant, address) + "')"));
        }
        if (!broken.isEmpty()) {
            throw new InvalidRecordException(broken);
        }
        return new Suppression(tenant, address, reason, at);
    }

    private static String text(Map<String, Object> m, String field, List<Violation> broken) {
        Object v = m.get(field);
        if (v instanceof String s && !s.isBlank()) {
            return s;
        }
        broken.add(new Violation(field, v == null ? "is required" : "must be a non-empty string"));
        return null;
    }
}
