package io.github.kafkamailer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The mailer's version, as {@code --version} prints it on every command: from the jar's manifest
 * ({@code Implementation-Version}) when it runs from a jar, else from {@code mailer-version.properties}, which
 * Maven writes at build time (running from target/classes, as tests and IDEs do).
 */
final class Version implements CommandLine.IVersionProvider {
    static final String RESOURCE = "mailer-version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"mailer " + current()};
    }

    /** The version of this build, e.g. {@code 0.2.0}. */
    static String current() {
        String fromManifest = Version.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : fromResource();
    }

    private static String fromResource() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "(development build)";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            // Unfiltered (an IDE copying resources itself): say so rather than print a placeholder.
            return v.isBlank() || v.startsWith("${") ? "(development build)" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives every command of the tree the same version, so that {@code mailer run --version} prints it too. */
    static void applyToEveryCommand(CommandLine cli) {
        cli.getCommandSpec().versionProvider(new Version());
        cli.getSubcommands().values().forEach(Version::applyToEveryCommand);
    }
}
