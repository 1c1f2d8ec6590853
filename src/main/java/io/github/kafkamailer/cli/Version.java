package io.github.kafkamailer.cli;

import picocli.CommandLine;

/** The version from the jar's manifest, when there is one. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"mailer " + (v == null ? "(development build)" : v)};
    }
}
