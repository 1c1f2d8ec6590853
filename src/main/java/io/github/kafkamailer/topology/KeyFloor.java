package io.github.kafkamailer.topology;

/**
 * A key at or before the first live entry of a store (or of one tenant's part of it), so that a read can start
 * there instead of at the very beginning. The stores this serves are consumed from the front: the pending store
 * deletes the emails it has sent, the sent-ids expiry index the ids it forgets. RocksDB keeps each deleted key as
 * a tombstone until a compaction drops it, and a seek steps over every tombstone before the first live key:
 * seeking from a tenant's first possible key once a second, while 600,000 sent emails lay deleted before the
 * first pending one, slowed the drain of a million from 2,800 to 800 emails/s. A floor keeps one rule: no live
 * key is ever before it. A read moves it up to the first key it met; a write before it moves it back.
 */
final class KeyFloor {
    private String floor;

    KeyFloor(String start) {
        this.floor = start;
    }

    String get() {
        return floor;
    }

    /** A key was written: the floor moves back to it when it is before the floor. */
    void written(String key) {
        if (compare(key, floor) < 0) {
            floor = key;
        }
    }

    /** No live key is before {@code key} (the first one a read from the floor met, or the last one deleted). */
    void nothingBefore(String key) {
        if (compare(key, floor) > 0) {
            floor = key;
        }
    }

    /**
     * The stores' order: keys are serialized as UTF-8 and compared as unsigned bytes, which is the order of
     * Unicode code points; {@code String.compareTo} compares UTF-16 units and differs above U+FFFF.
     */
    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
