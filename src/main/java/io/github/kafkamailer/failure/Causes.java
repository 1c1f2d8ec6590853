package io.github.kafkamailer.failure;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Walks an exception's chain of causes, once and safely (a cause chain may loop), so that every classifier
 * asks the same question the same way: "is there a cause of this type?".
 */
public final class Causes {
    private static final int MAX_DEPTH = 64;

    private Causes() {
    }

    /** The first throwable of the chain, {@code t} included, that is an instance of {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_DEPTH && seen.put(c, Boolean.TRUE) == null;
             c = c.getCause(), depth++) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }

    public static boolean has(Throwable t, Class<? extends Throwable> type) {
        return find(t, type).isPresent();
    }

    /** The last throwable of the chain: usually the one that says what actually went wrong. */
    public static Throwable root(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable last = t;
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_DEPTH && seen.put(c, Boolean.TRUE) == null;
             c = c.getCause(), depth++) {
            last = c;
        }
        return last;
    }
}
