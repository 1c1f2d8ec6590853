package io.github.kafkamailer.transport.graph;

import com.microsoft.graph.models.AttachmentItem;
import com.microsoft.graph.models.AttachmentType;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import com.microsoft.graph.models.UploadSession;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.attachments.createuploadsession.CreateUploadSessionPostRequestBody;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.ApiExceptionBuilder;
import com.microsoft.kiota.ResponseHeaders;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.github.kafkamailer.failure.Causes;
import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.EmailEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Drafts in a mailbox through Graph, made idempotent, and emails too large for one request.
 *
 * <p><b>Idempotent drafts.</b> Each draft carries the email's Message-ID in a named extended property of our own
 * ({@link #MARKER_ID}). Before creating a draft, and again before each retry of a create that failed without an
 * answer (timeout, 5xx, 429), the mailbox is searched for that mark: when found, that message is the draft and
 * none is created. The extended property was chosen over {@code internetMessageId} because Microsoft documents
 * filtering messages on a string extended property's value ({@code singleValueExtendedProperties/Any(ep: ep/id eq
 * '...' and ep/value eq '...')}, "Get singleValueLegacyExtendedProperty"), while it documents neither filtering
 * on {@code internetMessageId} nor that a value set on a draft is kept. That value filter is case-insensitive, so
 * the value is compared again exactly on what comes back. {@code GET /users/{id}/messages} covers all folders:
 * a draft already sent is found in Sent Items ({@code isDraft} false).
 *
 * <p><b>Large emails.</b> Graph takes at most 4 MB per request and wants an upload session for an attachment
 * of 3 MB or more. {@link #plan} splits the attachments: those that fit go in the draft's own request, other
 * small ones are posted one by one, and those from {@value #UPLOAD_FROM_BYTES} bytes are uploaded through
 * {@code createUploadSession} in chunks of {@value #CHUNK_BYTES} bytes (at most 4 MB each).
 */
final class GraphDrafts {
    /** Our named property: a fixed GUID of this program, the name saying what it holds. */
    static final String MARKER_ID = "String {5d3f0c6e-8a41-4e7b-9c2d-1f6a7b8e9c30} Name KafkaMailerMessageId";
    /** An attachment this large (decoded) goes through an upload session, as Microsoft asks from 3 MB. */
    static final long UPLOAD_FROM_BYTES = 3_000_000;
    /** What one Graph request may carry, JSON included (Graph's limit is 4 MB). */
    static final long REQUEST_LIMIT_BYTES = 4_000_000;
    /** Upload chunk: 12 × 320 KiB, below 4 MB and a multiple of the 320 KiB Graph's upload sessions prefer. */
    static final int CHUNK_BYTES = 12 * 320 * 1024;
    /** What a message's JSON costs beyond its body, attachments and headers (recipients, names, envelope). */
    private static final long ENVELOPE_BYTES = 64 * 1024;
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    private GraphDrafts() {
    }

    /** An attachment with its bytes decoded. */
    record File(Attachment attachment, byte[] bytes) {
    }

    /** Where each attachment goes: in the draft's request, posted alone, or uploaded in chunks. */
    record Plan(List<Attachment> inline, List<File> posted, List<File> uploaded) {
        /** The draft's own request holds the whole email. */
        boolean inOneRequest() {
            return posted.isEmpty() && uploaded.isEmpty();
        }
    }

    /** A message of the mailbox that carries the mark. */
    record Found(String id, boolean isDraft) {
    }

    static Plan plan(EmailEvent email) {
        long budget = REQUEST_LIMIT_BYTES - estimateWithoutAttachments(email);
        List<Attachment> inline = new ArrayList<>();
        List<File> posted = new ArrayList<>();
        List<File> uploaded = new ArrayList<>();
        for (Attachment a : email.attachments()) {
            byte[] bytes = Base64.getMimeDecoder().decode(a.contentBase64());
            long inJson = base64Length(bytes.length) + 1024;
            if (bytes.length >= UPLOAD_FROM_BYTES) {
                uploaded.add(new File(a, bytes));
            } else if (inJson <= budget) {
                inline.add(a);
                budget -= inJson;
            } else {
                posted.add(new File(a, bytes));
            }
        }
        return new Plan(inline, posted, uploaded);
    }

    /** JSON escaping may double text (and worse for control characters, rare in mail): counted twice. */
    private static long estimateWithoutAttachments(EmailEvent email) {
        long text = length(email.subject()) + length(email.text()) + length(email.html());
        for (Map.Entry<String, String> h : email.headers().entrySet()) {
            text += h.getKey().length() + h.getValue().length();
        }
        return ENVELOPE_BYTES + 2 * text;
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    private static long base64Length(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    /** Marks the message with the email's Message-ID. */
    static void mark(Message message, String messageId) {
        SingleValueLegacyExtendedProperty p = new SingleValueLegacyExtendedProperty();
        p.setId(MARKER_ID);
        p.setValue(messageId);
        // Beside those the message has already (the unsubscribe headers' properties).
        List<SingleValueLegacyExtendedProperty> all = new java.util.ArrayList<>();
        if (message.getSingleValueExtendedProperties() != null) {
            all.addAll(message.getSingleValueExtendedProperties());
        }
        all.add(p);
        message.setSingleValueExtendedProperties(all);
    }

    /** The message of this mailbox marked with this Message-ID; a sent one before a draft; null when none. */
    static Found find(GraphServiceClient graph, GraphClients.Limits limits, String user, String messageId) {
        String literal = messageId.replace("'", "''");
        MessageCollectionResponse page = graph.users().byUserId(user).messages().get(c -> {
            c.queryParameters.filter = "singleValueExtendedProperties/Any(ep: ep/id eq '" + MARKER_ID
                    + "' and ep/value eq '" + literal + "')";
            c.queryParameters.select = new String[] {"id", "isDraft"};
            c.queryParameters.expand = new String[] {"singleValueExtendedProperties($filter=id eq '" + MARKER_ID
                    + "')"};
            c.queryParameters.top = 10;
            c.options.add(limits.retryOption());
        });
        Found draft = null;
        if (page == null || page.getValue() == null) {
            return null;
        }
        for (Message m : page.getValue()) {
            if (m.getId() == null || !carries(m, messageId)) {
                continue;
            }
            boolean isDraft = !Boolean.FALSE.equals(m.getIsDraft());
            if (!isDraft) {
                return new Found(m.getId(), false);
            }
            if (draft == null) {
                draft = new Found(m.getId(), true);
            }
        }
        return draft;
    }

    private static boolean carries(Message m, String messageId) {
        List<SingleValueLegacyExtendedProperty> props = m.getSingleValueExtendedProperties();
        if (props == null) {
            return false;
        }
        return props.stream().anyMatch(p -> p.getId() != null && p.getId().equalsIgnoreCase(MARKER_ID)
                && messageId.equals(p.getValue()));
    }

    /**
     * Creates the draft (already marked) unless a message with the mark exists, and retries a create that got
     * no clear answer within the limits, looking for the mark before each retry: one draft at most per
     * Message-ID, however the requests went. The SDK's own retries are off for this POST (it would repeat it
     * blindly).
     *
     * @return the draft's id (the one found, or the one created)
     */
    static String create(GraphServiceClient graph, GraphClients.Limits limits, String user, Message message,
                         String messageId) {
        long deadline = System.nanoTime() + limits.retryBudget().toNanos();
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) {
                Found found = find(graph, limits, user, messageId);
                if (found != null) {
                    return found.id();
                }
            }
            RuntimeException failure;
            Duration wait;
            try {
                Message created = graph.users().byUserId(user).messages().post(message,
                        c -> c.options.add(noRetry()));
                if (created == null || created.getId() == null) {
                    throw new IllegalStateException("Microsoft Graph created a draft without an id");
                }
                return created.getId();
            } catch (ApiException e) {
                if (!RETRYABLE.contains(e.getResponseStatusCode())) {
                    throw e;
                }
                failure = e;
                wait = waitBefore(e, attempt);
            } catch (RuntimeException e) {
                if (Causes.find(e, IOException.class).isEmpty()) {
                    throw e;
                }
                failure = e;
                wait = backoff(attempt);
            }
            if (attempt >= limits.maxRetries() || wait == null
                    || System.nanoTime() + wait.toNanos() > deadline) {
                throw failure;
            }
            sleep(wait);
        }
    }

    /** Deletes a draft left incomplete (a crash while its attachments were being added). */
    static void delete(GraphServiceClient graph, GraphClients.Limits limits, String user, String id) {
        graph.users().byUserId(user).messages().byMessageId(id).delete(c -> c.options.add(limits.retryOption()));
    }

    /**
     * Writes {@code message} (already {@link #mark marked}) as a whole draft in {@code user}'s mailbox: looks for the
     * draft an earlier attempt left, keeps it when {@code keep} says so (and returns null), else deletes it, then
     * creates the draft and adds the attachments the request could not carry. Returns the new draft's id.
     */
    static String writeOnce(GraphClients clients, GraphServiceClient graph, String user, Message message,
                            String messageId, Plan plan, java.util.function.Predicate<Found> keep) {
        GraphClients.Limits limits = clients.limits();
        Found found = find(graph, limits, user, messageId);
        if (found != null && keep.test(found)) {
            return null;
        }
        if (found != null) {
            // Its attachments may be incomplete (a crash while adding them): made again whole.
            delete(graph, limits, user, found.id());
        }
        String id = create(graph, limits, user, message, messageId);
        addAttachmentsOrDiscard(clients, graph, user, id, plan);
        return id;
    }

    /**
     * Adds the attachments that were not in the draft's request; when that fails, deletes the draft (best
     * effort) so that no incomplete draft stays behind, and rethrows.
     */
    static void addAttachmentsOrDiscard(GraphClients clients, GraphServiceClient graph, String user, String id,
                                        Plan plan) {
        if (plan.inOneRequest()) {
            return;
        }
        try {
            addAttachments(clients, graph, user, id, plan);
        } catch (RuntimeException e) {
            try {
                delete(graph, clients.limits(), user, id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // found and deleted by the next attempt
            }
            throw e;
        }
    }

    /** Adds the attachments that were not in the draft's request. */
    static void addAttachments(GraphClients clients, GraphServiceClient graph, String user, String id, Plan plan) {
        GraphClients.Limits limits = clients.limits();
        for (File f : plan.posted()) {
            graph.users().byUserId(user).messages().byMessageId(id).attachments().post(GraphMessages.file(
                    f.attachment()), c -> c.options.add(noRetry()));
        }
        for (File f : plan.uploaded()) {
            AttachmentItem item = new AttachmentItem();
            item.setAttachmentType(AttachmentType.File);
            item.setName(f.attachment().filename());
            item.setContentType(f.attachment().contentType());
            item.setSize((long) f.bytes().length);
            CreateUploadSessionPostRequestBody body = new CreateUploadSessionPostRequestBody();
            body.setAttachmentItem(item);
            UploadSession session = graph.users().byUserId(user).messages().byMessageId(id).attachments()
                    .createUploadSession().post(body, c -> c.options.add(limits.retryOption()));
            if (session == null || session.getUploadUrl() == null) {
                throw new IllegalStateException("Microsoft Graph opened an upload session without a URL");
            }
            upload(clients.http(), limits, user, session.getUploadUrl(), f.bytes());
        }
    }

    /**
     * PUTs the bytes in chunks with {@code Content-Range}. Sent with our HTTP client (timeouts, retries of
     * 429/503/504 within the limits, the per-mailbox cap) but without our token: the upload URL carries its own
     * and is on Outlook's host, not Graph's. The SDK's {@code LargeFileUploadTask} was not used: it builds an
     * HTTP client of its own, without our timeouts, our trust store or the per-mailbox cap.
     */
    static void upload(OkHttpClient http, GraphClients.Limits limits, String user, String uploadUrl, byte[] bytes) {
        int total = bytes.length;
        for (int from = 0; from < total; from += CHUNK_BYTES) {
            int to = Math.min(total, from + CHUNK_BYTES);
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, to);
            Request put = new Request.Builder().url(uploadUrl)
                    .put(RequestBody.create(chunk, OCTETS))
                    .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + total)
                    .tag(MailboxPermits.Tag.class, new MailboxPermits.Tag(user))
                    .tag(RetryHandlerOption.class, limits.retryOption())
                    .build();
            try (Response r = http.newCall(put).execute()) {
                if (!r.isSuccessful()) {
                    ResponseHeaders headers = new ResponseHeaders();
                    for (String name : r.headers().names()) {
                        headers.put(name, Set.copyOf(r.headers(name)));
                    }
                    throw new ApiExceptionBuilder().withMessage("upload of bytes " + from + "-" + (to - 1)
                            + " refused").withResponseStatusCode(r.code()).withResponseHeaders(headers).build();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * {@code POST /users/{id}/messages/{draft}/send}, not repeated blindly: a send that got no clear answer is
     * checked by looking for the mark, and counts as done when the message is no longer a draft.
     */
    static void send(GraphServiceClient graph, GraphClients.Limits limits, String user, String id,
                     String messageId) {
        try {
            graph.users().byUserId(user).messages().byMessageId(id).send().post(c -> c.options.add(noRetry()));
        } catch (RuntimeException e) {
            boolean unclear = e instanceof ApiException a ? RETRYABLE.contains(a.getResponseStatusCode())
                    : Causes.find(e, IOException.class).isPresent();
            if (unclear) {
                Found found = find(graph, limits, user, messageId);
                if (found != null && !found.isDraft()) {
                    return;
                }
            }
            throw e;
        }
    }

    private static RetryHandlerOption noRetry() {
        return new RetryHandlerOption((delay, count, request, response) -> false, 0, 0);
    }

    private static Duration waitBefore(ApiException e, int attempt) {
        String after = null;
        if (e.getResponseHeaders() != null) {
            for (Map.Entry<String, Set<String>> h : e.getResponseHeaders().entrySet()) {
                if (h.getKey().equalsIgnoreCase("Retry-After") && !h.getValue().isEmpty()) {
                    after = h.getValue().iterator().next();
                }
            }
        }
        if (after == null) {
            return backoff(attempt);
        }
        Duration d = GraphCall.retryAfter(after);
        return d.isZero() ? backoff(attempt) : d;
    }

    /** 1 s, 2 s, 4 s, ... */
    private static Duration backoff(int attempt) {
        return Duration.ofSeconds(1L << Math.min(attempt, 5));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a Graph request", e);
        }
    }
}
