package io.github.kafkamailer.transport.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny Microsoft Graph mailbox behind WireMock (a global transformer; one catch-all stub gives it every
 * request): sendMail, drafts (created, listed with the extended-property filter, deleted, sent), attachments
 * posted or uploaded through upload sessions whose chunks are checked ({@code Content-Range} contiguous, at
 * most 4 MB, the declared size) and reassembled. It counts drafts created and requests in flight (each held for
 * {@link #delayMillis}).
 */
final class GraphMailbox implements ResponseDefinitionTransformerV2 {
    static final int MAX_CHUNK = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MESSAGES = Pattern.compile("/v1\\.0/users/([^/]+)/messages(?:/([^/]+)(/.*)?)?");
    private static final Pattern FILTER_VALUE = Pattern.compile("ep/value eq '((?:[^']|'')*)'\\)$");
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    /** A message of the mailbox. */
    static final class Stored {
        final String id;
        final JsonNode json;
        final String marker;
        volatile boolean isDraft = true;
        final Map<String, byte[]> attachments = new LinkedHashMap<>();

        Stored(String id, JsonNode json, String marker) {
            this.id = id;
            this.json = json;
            this.marker = marker;
        }
    }

    private static final class Upload {
        final Stored message;
        final String name;
        final long size;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Upload(Stored message, String name, long size) {
            this.message = message;
            this.name = name;
            this.size = size;
        }
    }

    final Map<String, Stored> messages = new LinkedHashMap<>();
    private final Map<String, Upload> uploads = new LinkedHashMap<>();
    final AtomicInteger draftsCreated = new AtomicInteger();
    final AtomicInteger sendMails = new AtomicInteger();
    final AtomicInteger sends = new AtomicInteger();
    final List<String> chunkRanges = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> uploadAuthorizations = new CopyOnWriteArrayList<>();
    /** Draft creates answered 504 after the draft was made (a gateway that gave up on a backend that did it). */
    volatile int createsAnswered504;
    volatile long delayMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private int ids;

    synchronized void reset() {
        messages.clear();
        uploads.clear();
        draftsCreated.set(0);
        sendMails.set(0);
        sends.set(0);
        chunkRanges.clear();
        violations.clear();
        uploadAuthorizations.clear();
        createsAnswered504 = 0;
        delayMillis = 0;
        maxInFlight.set(0);
    }

    @Override
    public String getName() {
        return "graph-mailbox";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            return handle(event.getRequest());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return answer(500, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private synchronized ResponseDefinition handle(LoggedRequest r) throws IOException {
        String path = URI.create(r.getUrl()).getRawPath();
        String method = r.getMethod().getName();
        if (path.startsWith("/upload/") && method.equals("PUT")) {
            return chunk(r, path.substring("/upload/".length()));
        }
        if (path.endsWith("/sendMail") && method.equals("POST")) {
            sendMails.incrementAndGet();
            return answer(202, null);
        }
        Matcher m = MESSAGES.matcher(path);
        if (!m.matches()) {
            return answer(404, error("ResourceNotFound", path));
        }
        String id = m.group(2);
        String rest = m.group(3);
        if (id == null && method.equals("POST")) {
            JsonNode json = JSON.readTree(r.getBodyAsString());
            String marker = null;
            for (JsonNode p : json.path("singleValueExtendedProperties")) {
                if (p.path("id").asText().equals(GraphDrafts.MARKER_ID)) {
                    marker = p.path("value").asText();
                }
            }
            Stored s = new Stored("d-" + (++ids), json, marker);
            messages.put(s.id, s);
            for (JsonNode a : json.path("attachments")) {
                s.attachments.put(a.path("name").asText(), java.util.Base64.getDecoder().decode(
                        a.path("contentBytes").asText()));
            }
            draftsCreated.incrementAndGet();
            if (createsAnswered504 > 0) {
                createsAnswered504--;
                return answer(504, error("GatewayTimeout", "the backend did not answer in time"));
            }
            return answer(201, "{\"id\":\"" + s.id + "\",\"isDraft\":true}");
        }
        if (id == null && method.equals("GET")) {
            return list(r.queryParameter("$filter").firstValue());
        }
        Stored s = messages.get(id);
        if (s == null) {
            return answer(404, error("ErrorItemNotFound", "no message " + id));
        }
        if (rest == null && method.equals("DELETE")) {
            messages.remove(id);
            return answer(204, null);
        }
        if ("/send".equals(rest) && method.equals("POST")) {
            s.isDraft = false;
            sends.incrementAndGet();
            return answer(202, null);
        }
        if ("/attachments".equals(rest) && method.equals("POST")) {
            JsonNode a = JSON.readTree(r.getBodyAsString());
            s.attachments.put(a.path("name").asText(), java.util.Base64.getDecoder().decode(
                    a.path("contentBytes").asText()));
            return answer(201, "{\"id\":\"a-" + (++ids) + "\"}");
        }
        if ("/attachments/createUploadSession".equals(rest) && method.equals("POST")) {
            JsonNode item = JSON.readTree(r.getBodyAsString()).path("AttachmentItem");
            if (item.isMissingNode()) {
                item = JSON.readTree(r.getBodyAsString()).path("attachmentItem");
            }
            String session = "s-" + (++ids);
            uploads.put(session, new Upload(s, item.path("name").asText(), item.path("size").asLong()));
            URI base = URI.create(r.getAbsoluteUrl());
            return answer(201, "{\"uploadUrl\":\"" + base.getScheme() + "://" + base.getAuthority() + "/upload/"
                    + session + "?authtoken=t\",\"expirationDateTime\":\"2099-01-01T00:00:00Z\","
                    + "\"nextExpectedRanges\":[\"0-\"]}");
        }
        return answer(400, error("BadRequest", method + " " + path));
    }

    private ResponseDefinition chunk(LoggedRequest r, String session) {
        Upload u = uploads.get(session);
        if (u == null) {
            return answer(404, error("ErrorItemNotFound", "no upload session " + session));
        }
        String auth = r.getHeader("Authorization");
        if (auth != null) {
            uploadAuthorizations.add(auth);
        }
        byte[] body = r.getBody();
        String range = r.getHeader("Content-Range");
        chunkRanges.add(range);
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            violations.add("bad Content-Range " + range);
            return answer(400, error("InvalidRange", String.valueOf(range)));
        }
        long from = Long.parseLong(m.group(1));
        long to = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        if (from != u.bytes.size() || to - from + 1 != body.length || total != u.size || body.length > MAX_CHUNK) {
            violations.add("chunk " + range + " of " + body.length + " bytes, " + u.bytes.size() + " received of "
                    + u.size);
            return answer(416, error("InvalidRange", range));
        }
        u.bytes.write(body, 0, body.length);
        if (u.bytes.size() == u.size) {
            u.message.attachments.put(u.name, u.bytes.toByteArray());
            uploads.remove(session);
            return answer(201, null);
        }
        return answer(200, "{\"expirationDateTime\":\"2099-01-01T00:00:00Z\",\"nextExpectedRanges\":[\""
                + u.bytes.size() + "-\"]}");
    }

    private ResponseDefinition list(String filter) {
        Matcher m = FILTER_VALUE.matcher(filter == null ? "" : filter);
        if (filter == null || !filter.contains(GraphDrafts.MARKER_ID) || !m.find()) {
            return answer(400, error("BadRequest", "unsupported filter " + filter));
        }
        String value = m.group(1).replace("''", "'");
        ObjectNode page = JSON.createObjectNode();
        ArrayNode values = page.putArray("value");
        for (Stored s : messages.values()) {
            // Graph compares the value case-insensitively.
            if (s.marker != null && s.marker.equalsIgnoreCase(value)) {
                ObjectNode o = values.addObject();
                o.put("id", s.id);
                o.put("isDraft", s.isDraft);
                ObjectNode p = o.putArray("singleValueExtendedProperties").addObject();
                p.put("id", GraphDrafts.MARKER_ID);
                p.put("value", s.marker);
            }
        }
        return answer(200, page.toString());
    }

    synchronized List<Stored> all() {
        return new ArrayList<>(messages.values());
    }

    private static String error(String code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error").put("code", code).put("message", message);
        return e.toString();
    }

    private static ResponseDefinition answer(int status, String json) {
        var b = new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(status);
        if (json != null) {
            b.withHeader("Content-Type", "application/json").withBody(json);
        }
        return b.build();
    }
}
