package io.github.kafkamailer.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A main server and a management server in a JVM of their own, as {@code mailer run} has them: the JDK's server
 * reads its limits once per JVM, when its first server is made. Prints both ports and the limits in force, then
 * serves until stdin ends.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws IOException {
        try (HttpEndpoints main = new HttpEndpoints("127.0.0.1", 0, () -> "mailer_up 1\n", () -> true, () -> true)
                .start();
             HttpEndpoints management = HttpEndpoints.management("127.0.0.1", 0, () -> "mailer_up 1\n", () -> true,
                     () -> true).start()) {
            // A console request that takes longer than the request deadline once its body arrived (Test connection).
            main.routeSlow("/slow", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                try {
                    Thread.sleep(Long.parseLong(System.getProperty("slow.millis", "0")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(200, body.length);
                try (java.io.OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            System.out.println("ports " + main.port() + " " + management.port() + " limits "
                    + System.getProperty(HttpEndpoints.REQUEST_DEADLINE_PROPERTY) + " "
                    + System.getProperty(HttpEndpoints.MAX_CONNECTIONS_PROPERTY));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
