package io.github.kafkamailer.app;

import io.github.kafkamailer.model.SecretReferences;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Resolves secret references against this process's environment variables and files. */
public final class EnvironmentSecrets implements SecretReferences.Resolver {
    private final Map<String, String> env;

    public EnvironmentSecrets(Map<String, String> env) {
        this.env = env;
    }

    public static EnvironmentSecrets ofProcess() {
        return new EnvironmentSecrets(System.getenv());
    }

    @Override
    public String env(String name) {
        String v = env.get(name);
        if (v == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set for the mailer");
        }
        return v;
    }

    /** The file's content without its trailing newline (as most secret files are written). */
    @Override
    public String file(String path) {
        try {
            String v = Files.readString(Path.of(path), StandardCharsets.UTF_8);
            if (v.endsWith("\r\n")) {
                return v.substring(0, v.length() - 2);
            }
            return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("file " + path + " cannot be read by the mailer ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
