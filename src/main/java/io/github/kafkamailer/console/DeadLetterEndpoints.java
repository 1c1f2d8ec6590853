package io.github.kafkamailer.console;

import io.github.kafkamailer.admin.DeadLetter;
import io.github.kafkamailer.admin.DeadLetterAdmin;
import io.github.kafkamailer.admin.DeadLetterFilter;
import io.github.kafkamailer.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dead letters page's endpoints: the newest letters by tenant and kind, one letter's original event, and
 * replay of the letters the page shows (each named by its place on the topic, so two letters of one id stay
 * apart), audited with the count.
 */
final class DeadLetterEndpoints implements AdminConsole.Endpoints {
    /** The page shows the newest this many; a filter narrows them down. */
    static final int SHOWN = 200;
    /** Each letter on the page shows at most this much of its value: 200 of them stay small. */
    static final int VALUE_BYTES = 4 * 1024;
    /** One letter's event, asked for alone, shows at most this much of it. */
    static final int EVENT_BYTES = 1024 * 1024;
    private static final Set<String> KINDS = Set.of("INVALID", "PERMANENT", "EXPIRED");
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("([0-9]{1,9})-([0-9]{1,18})");

    private final DeadLetterAdmin deadLetters;
    private final AuditLog audit;

    DeadLetterEndpoints(DeadLetterAdmin deadLetters, AuditLog audit) {
        this.deadLetters = deadLetters;
        this.audit = audit;
    }

    @Override
    public void register(Routes routes) {
        routes.get("/api/dead-letters", this::list);
        routes.get("/api/dead-letters/event", this::event);
        routes.post("/api/dead-letters/replay", this::replay);
    }

    private void list(Call call) throws IOException {
        List<DeadLetter> letters = deadLetters.list(filter(call.query("tenant").orElse(null),
                call.query("kind").orElse(null)), VALUE_BYTES);
        List<Map<String, Object>> rows = new ArrayList<>();
        // Newest first on the page.
        for (int i = letters.size() - 1; i >= 0; i--) {
            rows.add(row(letters.get(i)));
        }
        call.json(200, Map.of("deadLetters", rows, "truncated", letters.size() >= SHOWN));
    }

    /** One letter's event, named by its place on the topic ({@link #key}): an id may be two tenants' letters. */
    private void event(Call call) throws IOException {
        String key = call.requiredQuery("key");
        java.util.regex.Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            throw new Call.Refused(400, "key is partition-offset, as the list gives it");
        }
        long offset;
        int partition;
        try {
            partition = Integer.parseInt(m.group(1));
            offset = Long.parseLong(m.group(2));
        } catch (NumberFormatException tooLarge) {
            throw new Call.Refused(400, "key is partition-offset, as the list gives it");
        }
        DeadLetter d = deadLetters.at(partition, offset)
                .orElseThrow(() -> new Call.Refused(404, "no dead letter at " + key));
        DeadLetter shown = d.withValueCut(EVENT_BYTES);
        String text = shown.value() == null ? "(no value: the record was a tombstone)"
                : new String(shown.value(), StandardCharsets.UTF_8);
        call.json(200, Map.of("id", d.id(), "tenant", d.tenant(), "text", shown.valueCut() ? text : pretty(text),
                "truncated", shown.valueCut(), "valueBytes", shown.valueBytes()));
    }

    private void replay(Call call) throws IOException {
        Map<String, Object> body = call.jsonBody();
        Set<String> keys = new HashSet<>();
        if (body.get("keys") instanceof List<?> given) {
            given.forEach(k -> keys.add(String.valueOf(k)));
        }
        if (keys.isEmpty()) {
            throw new Call.Refused(400, "name the dead letters to replay");
        }
        String tenant = body.get("tenant") instanceof String t && !t.isEmpty() ? t : null;
        String kind = body.get("kind") instanceof String k && !k.isEmpty() ? k : null;
        // Values left out: the replay reads each chosen letter again from the topic, a chunk at a time.
        List<DeadLetter> chosen = deadLetters.list(filter(tenant, kind), 0).stream()
                .filter(d -> keys.contains(key(d))).toList();
        int replayed = deadLetters.replay(chosen);
        audit.record(call.who(), "dlq.replay", "asked", keys.size(), "replayed", replayed,
                "ids", summary(chosen));
        call.json(200, Map.of("replayed", replayed, "asked", keys.size()));
    }

    private static DeadLetterFilter filter(String tenant, String kind) {
        if (kind != null && !KINDS.contains(kind)) {
            throw new Call.Refused(400, "kind is one of " + KINDS);
        }
        return new DeadLetterFilter(tenant, kind, null, SHOWN);
    }

    /** A letter as the page lists it: its value cut to {@link #VALUE_BYTES} (the event view shows more). */
    static Map<String, Object> row(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key(d));
        m.put("id", d.id());
        m.put("tenant", d.tenant());
        m.put("kind", d.kind());
        m.put("reason", d.reason());
        m.put("attempts", d.attempts());
        m.put("firstFailure", d.firstFailure());
        m.put("deadLetteredAt", d.deadLetteredAt());
        m.put("source", d.source());
        m.put("laterSent", d.laterSent());
        m.put("replayable", d.replayable());
        DeadLetter cut = d.withValueCut(VALUE_BYTES);
        m.put("value", cut.value() == null ? null : new String(cut.value(), StandardCharsets.UTF_8));
        m.put("valueTruncated", cut.valueCut());
        m.put("valueBytes", cut.valueBytes());
        return m;
    }

    /** Where the letter sits on the dead-letter topic: unique, unlike its id. */
    static String key(DeadLetter d) {
        return d.partition() + "-" + d.offset();
    }

    private static String summary(List<DeadLetter> letters) {
        List<String> ids = letters.stream().map(d -> d.tenant() + "/" + d.id()).limit(10).toList();
        return String.join(",", ids) + (letters.size() > 10 ? ",..." : "");
    }

    /** The event indented when it is JSON; as it is otherwise (it may be why it is a dead letter). */
    private static String pretty(String text) {
        try {
            Object tree = Json.tolerantReader().forType(Object.class).readValue(text);
            return Json.prettyWriter().writeValueAsString(tree);
        } catch (IOException notJson) {
            return text;
        }
    }
}
