package io.github.kafkamailer.sending;

/**
 * Monotonic time in nanoseconds, for the lanes' deadlines and turns: {@link #SYSTEM} in production, one a test moves
 * by hand so that a deadline passes without waiting for it. Only differences between two readings mean anything.
 */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
