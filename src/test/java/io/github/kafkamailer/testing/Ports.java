package io.github.kafkamailer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for tests: never a fixed number. */
public final class Ports {
    private Ports() {
    }

    /** A local port that was free a moment ago and has nothing listening on it: a connection to it is refused. */
    public static int closed() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
