package io.github.kafkamailer.app;

import io.github.kafkamailer.model.SecretReferences;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves secret references against this process's environment variables and files, within limits the operator
 * sets (CONTRACT.md): a config record comes from a topic that many may write to, so a reference must not become a
 * way to read the process's own files ({@code /proc/self/environ}, the properties file holding Kafka credentials)
 * or to make it read for ever ({@code /dev/zero}, a FIFO). Like Kafka's {@code DirectoryConfigProvider}:
 * <ul>
 *   <li>{@code ${file:/path}}: an absolute path that, once {@code ..} and links are resolved, is a regular file
 *       inside one of the secret folders, of at most {@value #MAX_FILE_BYTES} bytes (never more is read);</li>
 *   <li>{@code ${env:NAME}}: only names starting with the configured prefix, and never a variable the mailer
 *       reads for itself ({@link ProcessSettings#ownVariables()}: the admin password, the HTTP settings...).</li>
 * </ul>
 * Every refusal is an {@link IllegalArgumentException} whose message names the reference and the rule, never a
 * value read.
 */
public final class EnvironmentSecrets implements SecretReferences.Resolver {
    /** 64 KiB: far more than any password or client secret, far less than could hurt the heap. */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    private final Map<String, String> env;
    private final List<Path> dirs;
    private final String envPrefix;
    private final Set<String> denied;
    /** Files never read, once links are resolved: the mailer's own secrets (the unsubscribe key). */
    private final Set<Path> deniedFiles;

    /**
     * @param dirs      absolute folders whose files may be referenced
     * @param envPrefix the prefix every referenced variable name must start with; not empty
     */
    public EnvironmentSecrets(Map<String, String> env, List<Path> dirs, String envPrefix) {
        this(env, dirs, envPrefix, ProcessSettings.ownVariables());
    }

    /**
     * @param denied variables never resolved, even when their name starts with the prefix (the mailer's own)
     */
    public EnvironmentSecrets(Map<String, String> env, List<Path> dirs, String envPrefix, Set<String> denied) {
        this(env, dirs, envPrefix, denied, Set.of());
    }

    /**
     * @param deniedFiles files never read (compared once links are resolved), the mailer's own secrets
     */
    EnvironmentSecrets(Map<String, String> env, List<Path> dirs, String envPrefix, Set<String> denied,
                       Set<Path> deniedFiles) {
        for (Path d : dirs) {
            if (!d.isAbsolute()) {
                throw new IllegalArgumentException("secret folder '" + d + "' is not an absolute path");
            }
        }
        if (envPrefix == null || envPrefix.isEmpty()) {
            throw new IllegalArgumentException("the secret variable prefix must not be empty: it would let a config"
                    + " record read every environment variable of the mailer");
        }
        this.env = Map.copyOf(env);
        this.dirs = List.copyOf(dirs);
        this.envPrefix = envPrefix;
        this.denied = Set.copyOf(denied);
        this.deniedFiles = Set.copyOf(deniedFiles);
    }

    /**
     * This process's environment, with the folders and prefix of its process settings: what a config record's
     * references resolve with. The unsubscribe key's reference (variable or file) is denied to them: a writer of
     * {@code mail.config} could otherwise send it to a server of its own as {@code smtpPassword}.
     */
    public static EnvironmentSecrets of(ProcessSettings settings) {
        Set<String> variables = new java.util.HashSet<>(ProcessSettings.ownVariables());
        Set<Path> files = new java.util.HashSet<>();
        settings.checked().unsubscribeKeyReference().map(SecretReferences::parts).ifPresent(ref -> {
            if ("env".equals(ref[0])) {
                variables.add(ref[1]);
            } else {
                files.add(realOrNormalized(ref[1]));
            }
        });
        return new EnvironmentSecrets(System.getenv(), settings.secretsDirs(), settings.secretsEnvPrefix(), variables,
                files);
    }

    /** What the mailer resolves its own secret references with (the unsubscribe key): the same rules, no denials. */
    static EnvironmentSecrets forTheMailer(ProcessSettings settings) {
        return new EnvironmentSecrets(System.getenv(), settings.secretsDirs(), settings.secretsEnvPrefix());
    }

    private static Path realOrNormalized(String path) {
        try {
            return Path.of(path).toRealPath();
        } catch (IOException | RuntimeException e) {
            return Path.of(path).toAbsolutePath().normalize();
        }
    }

    @Override
    public String env(String name) {
        if (denied.contains(name)) {
            throw new IllegalArgumentException("environment variable " + name + " may not be referenced: the mailer"
                    + " reads it for itself");
        }
        if (!name.startsWith(envPrefix)) {
            throw new IllegalArgumentException("environment variable " + name + " may not be referenced: only names"
                    + " starting with " + envPrefix + " (" + ProcessSettings.SECRETS_ENV_PREFIX + ")");
        }
        String v = env.get(name);
        if (v == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set for the mailer");
        }
        return v;
    }

    /** The file's content without its trailing newline (as most secret files are written). */
    @Override
    public String file(String path) {
        Path real = allowedFile(path);
        if (deniedFiles.contains(real)) {
            throw new IllegalArgumentException("file " + path + " may not be referenced: the mailer reads it for"
                    + " itself");
        }
        byte[] bytes = readAtMost(path, real);
        String v;
        try {
            v = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("file " + path + " is not UTF-8 text");
        }
        if (v.endsWith("\r\n")) {
            return v.substring(0, v.length() - 2);
        }
        return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
    }

    /** The file's real path, once every rule holds; the rules are checked before anything is opened. */
    private Path allowedFile(String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("file " + path + " is not a valid path");
        }
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("file " + path + " is not an absolute path");
        }
        // Judged on the path as written before the file system is asked anything: otherwise "does not exist" versus
        // "outside the secret folders" would tell a writer of mail.config which files exist on the mailer's host.
        if (!insideSecretDirsAsWritten(p.normalize())) {
            throw outside(path);
        }
        Path real;
        try {
            // Resolves "..", and every link on the way, so neither can lead out of the secret folders.
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file " + path + " does not exist");
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("file " + path + " cannot be read by the mailer ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (!insideSecretDirs(real)) {
            throw outside(path);
        }
        // Checked before opening: opening a FIFO for reading blocks until someone writes to it. Swapping the file
        // for another between this check and the open needs write access to the secret folder, which is the
        // operator's.
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("file " + path + " is not a regular file");
        }
        return real;
    }

    private IllegalArgumentException outside(String path) {
        return new IllegalArgumentException("file " + path + " is outside the secret folders " + dirs + " ("
                + ProcessSettings.SECRETS_DIRS + ")");
    }

    /** Lexically under a secret folder, as given or as its links resolve (a folder may itself be a link). */
    private boolean insideSecretDirsAsWritten(Path normalized) {
        for (Path dir : dirs) {
            if (normalized.startsWith(dir.normalize()) && !normalized.equals(dir.normalize())) {
                return true;
            }
            try {
                Path realDir = dir.toRealPath();
                if (normalized.startsWith(realDir) && !normalized.equals(realDir)) {
                    return true;
                }
            } catch (IOException | SecurityException e) {
                // a folder that does not exist holds no secrets
            }
        }
        return false;
    }

    private boolean insideSecretDirs(Path real) {
        for (Path dir : dirs) {
            Path realDir;
            try {
                realDir = dir.toRealPath();
            } catch (IOException | SecurityException e) {
                continue; // a folder that does not exist holds no secrets
            }
            if (real.startsWith(realDir) && !real.equals(realDir)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads at most {@value #MAX_FILE_BYTES} bytes, by reading, not by trusting the size the file system reports
     * (files under /proc report 0), and refuses a longer file.
     */
    private static byte[] readAtMost(String path, Path real) {
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("file " + path + " is larger than " + MAX_FILE_BYTES
                        + " bytes (64 KiB)");
            }
            return bytes;
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("file " + path + " cannot be read by the mailer ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
