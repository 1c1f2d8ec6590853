package io.github.kafkamailer.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rendered HTML of the templates page's latest previews, each under a random id for the frame that shows it
 * (a route of its own, so the frame can have a policy of its own: inline styles yes, scripts and remote content
 * no). Kept briefly, for the session that asked, and few: a preview is looked at once, right after it was made.
 */
final class PreviewFrames {
    static final int KEPT = 16;
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private record Frame(String session, String html, Instant expiresAt) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Frame> frames = new LinkedHashMap<>(KEPT, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Frame> eldest) {
            return size() > KEPT;
        }
    };

    PreviewFrames(Clock clock) {
        this.clock = clock;
    }

    /** Keeps {@code html} for {@code session}; the id to fetch it by. */
    synchronized String keep(String session, String html) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        frames.put(id, new Frame(session, html, clock.instant().plus(LIFETIME)));
        return id;
    }

    /** The HTML kept under {@code id} for {@code session}, while it lasts. */
    synchronized Optional<String> find(String session, String id) {
        Frame f = frames.get(id);
        if (f == null || !f.session().equals(session) || !clock.instant().isBefore(f.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(f.html());
    }
}
