package io.github.kafkamailer.console;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The console's JSON endpoints by method and path; every one of them needs a signed-in session. */
final class Routes {
    @FunctionalInterface
    interface Endpoint {
        void handle(Call call) throws IOException;
    }

    private final Map<String, Endpoint> byKey = new HashMap<>();

    Routes get(String path, Endpoint e) {
        byKey.put("GET " + path, e);
        return this;
    }

    /** A state-changing endpoint: the console checks the CSRF token before it runs. */
    Routes post(String path, Endpoint e) {
        byKey.put("POST " + path, e);
        return this;
    }

    Endpoint find(String method, String path) {
        return byKey.get(("HEAD".equals(method) ? "GET" : method) + " " + path);
    }

    boolean knows(String path) {
        return byKey.containsKey("GET " + path) || byKey.containsKey("POST " + path);
    }
}
