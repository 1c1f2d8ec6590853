package io.github.kafkamailer.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's signed-in sessions, held in memory only (a restart signs everyone out). A session id is 256
 * random bits, never logged; it ends after {@code idle} without a request, or {@code absolute} after sign-in
 * whatever the activity. Each session carries its own token against cross-site request forgery.
 */
final class Sessions {
    /** How many live sessions at most: the oldest goes when a new one would exceed it. */
    static final int MAX_SESSIONS = 1_000;

    /**
     * @param id     the cookie value; secret
     * @param csrf   the token every state-changing request must repeat in a header; secret
     * @param who    the person as the audit log names them
     * @param handle a short, non-secret name of the session for the audit log
     */
    record Session(String id, String csrf, String who, String handle, Instant createdAt, Instant lastSeenAt) {
        Session touched(Instant now) {
            return new Session(id, csrf, who, handle, createdAt, now);
        }

        @Override
        public String toString() {
            return "Session[" + who + ", " + handle + "]";
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    Sessions(Clock clock, Duration idle, Duration absolute) {
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    Session create(String who) {
        Instant now = clock.instant();
        byId.values().removeIf(s -> expired(s, now));
        if (byId.size() >= MAX_SESSIONS) {
            byId.values().stream().min(java.util.Comparator.comparing(Session::lastSeenAt))
                    .ifPresent(oldest -> byId.remove(oldest.id()));
        }
        String id = randomToken();
        Session s = new Session(id, randomToken(), who, handleOf(id), now, now);
        byId.put(id, s);
        return s;
    }

    /** The live session of {@code id}, its idle time reset; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            byId.remove(id);
            return Optional.empty();
        }
        Session touched = s.touched(now);
        byId.put(id, touched);
        return Optional.of(touched);
    }

    void end(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    /** How long the cookie may live: the browser forgets it when the server would anyway. */
    Duration cookieLifetime() {
        return absolute;
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeenAt().plus(idle)) || !now.isBefore(s.createdAt().plus(absolute));
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A digest prefix: tells one session's audit lines from another's without revealing the id. */
    private static String handleOf(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    static boolean sameSecret(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] b = sha.digest(given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
