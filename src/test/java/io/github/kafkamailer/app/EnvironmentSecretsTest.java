package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.SecretReferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile secret references (issue 9, item 5): a config record may only reach files under the secret folders
 * and variables with the secret prefix. Each refusal rejects the record, names the field and the rule, and reads
 * nothing it should not (the timeouts catch a read of /dev/zero or a FIFO that never ends).
 */
@Timeout(10)
class EnvironmentSecretsTest {
    @TempDir
    Path root;

    private Path secrets;
    private Path outside;
    private EnvironmentSecrets resolver;

    @BeforeEach
    void setUp() throws IOException {
        secrets = Files.createDirectories(root.resolve("secrets"));
        outside = Files.createDirectories(root.resolve("elsewhere"));
        resolver = new EnvironmentSecrets(Map.of("MAILER_SMTP_PW", "from-env", "KAFKA_SASL_PASSWORD", "kafka-pw"),
                List.of(secrets), "MAILER_");
    }

    private static MailerConfig config(String password) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("smtpHost", "smtp.example.com");
        raw.put("postmaster", "noreply@example.com");
        raw.put("smtpUser", "u");
        raw.put("smtpPassword", password);
        return ConfigRules.parse(raw);
    }

    private String resolved(String reference) {
        return SecretReferences.resolve(config(reference), resolver).smtpPassword().reveal();
    }

    private void assertRejected(String reference, String reason) {
        assertThatThrownBy(() -> resolved(reference)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("smtpPassword").hasMessageContaining(reason);
    }

    @Test
    void shouldReadAFileUnderTheSecretFolders() throws IOException {
        Files.writeString(secrets.resolve("smtp"), "s3cret\n");
        Files.createDirectories(secrets.resolve("tenant-a"));
        Files.writeString(secrets.resolve("tenant-a/smtp"), "nested");
        assertThat(resolved("${file:" + secrets.resolve("smtp") + "}")).isEqualTo("s3cret");
        assertThat(resolved("${file:" + secrets.resolve("tenant-a/smtp") + "}")).isEqualTo("nested");
    }

    @Test
    void shouldReadAFileOfExactly64KiB() throws IOException {
        Files.write(secrets.resolve("big"), "x".repeat(EnvironmentSecrets.MAX_FILE_BYTES).getBytes());
        assertThat(resolved("${file:" + secrets.resolve("big") + "}")).hasSize(EnvironmentSecrets.MAX_FILE_BYTES);
    }

    @Test
    void shouldRefuseProcSelfEnviron() {
        assertRejected("${file:/proc/self/environ}", "outside the secret folders");
    }

    @Test
    void shouldRefuseTheMailersOwnPropertiesFileOutsideTheFolders() throws IOException {
        Path props = Files.writeString(outside.resolve("mailer.properties"),
                "sasl.jaas.config=... password=\"kafka-pw\";\n");
        assertThatThrownBy(() -> resolved("${file:" + props + "}")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("smtpPassword").hasMessageContaining("outside the secret folders")
                .hasMessageNotContaining("kafka-pw");
    }

    @Test
    void shouldRefuseADotDotEscape() throws IOException {
        Files.writeString(outside.resolve("pw"), "not yours");
        assertRejected("${file:" + secrets + "/../elsewhere/pw}", "outside the secret folders");
    }

    @Test
    void shouldRefuseASymlinkThatLeadsOut() throws IOException {
        Path target = Files.writeString(outside.resolve("pw"), "not yours");
        Path link = Files.createSymbolicLink(secrets.resolve("link"), target);
        assertRejected("${file:" + link + "}", "outside the secret folders");
        Files.createSymbolicLink(secrets.resolve("dirlink"), outside);
        assertRejected("${file:" + secrets.resolve("dirlink/pw") + "}", "outside the secret folders");
    }

    @Test
    void shouldRefuseAFolderWhoseNameOnlyStartsLikeASecretFolder() throws IOException {
        Path sibling = Files.createDirectories(root.resolve("secrets-not"));
        Files.writeString(sibling.resolve("pw"), "not yours");
        assertRejected("${file:" + sibling.resolve("pw") + "}", "outside the secret folders");
    }

    @Test
    void shouldRefuseDevZeroEvenInsideTheFolders() {
        assertRejected("${file:/dev/zero}", "outside the secret folders");
        resolver = new EnvironmentSecrets(Map.of(), List.of(Path.of("/dev")), "MAILER_");
        assertRejected("${file:/dev/zero}", "is not a regular file");
    }

    @Test
    void shouldRefuseAFifoWithoutOpeningIt() throws Exception {
        Path fifo = secrets.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor() == 0 && Files.exists(fifo), "mkfifo is available");
        assertRejected("${file:" + fifo + "}", "is not a regular file");
    }

    @Test
    void shouldRefuseAFileOf65KiB() throws IOException {
        Files.write(secrets.resolve("huge"), new byte[65 * 1024]);
        assertRejected("${file:" + secrets.resolve("huge") + "}", "larger than 65536 bytes");
    }

    @Test
    void shouldRefuseTheFolderItselfARelativePathAndAMissingFile() {
        assertRejected("${file:" + secrets + "}", "outside the secret folders");
        assertRejected("${file:smtp}", "is not an absolute path");
        assertRejected("${file:" + secrets.resolve("absent") + "}", "does not exist");
    }

    @Test
    void shouldNotTellWhetherAFileOutsideTheFoldersExists() throws IOException {
        Path existing = Files.writeString(outside.resolve("present"), "x");
        String there = messageOf("${file:" + existing + "}");
        String absent = messageOf("${file:" + outside.resolve("absent") + "}");

        assertThat(there).contains("outside the secret folders");
        assertThat(absent.replace("absent", "present")).isEqualTo(there);
        assertThat(messageOf("${file:" + secrets + "/../elsewhere/absent}")).contains("outside the secret folders");
    }

    private String messageOf(String reference) {
        try {
            resolved(reference);
        } catch (InvalidRecordException e) {
            return e.getMessage();
        }
        throw new AssertionError(reference + " was accepted");
    }

    @Test
    void shouldRefuseAnEnvironmentVariableWithoutThePrefix() {
        assertThatThrownBy(() -> resolved("${env:KAFKA_SASL_PASSWORD}")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("smtpPassword").hasMessageContaining("only names starting with MAILER_")
                .hasMessageNotContaining("kafka-pw");
        assertThat(resolved("${env:MAILER_SMTP_PW}")).isEqualTo("from-env");
    }

    @Test
    void shouldNeverResolveAVariableTheMailerReadsForItselfThoughItHasThePrefix() {
        resolver = new EnvironmentSecrets(Map.of("MAILER_ADMIN_PASSWORD", "console-pw", "MAILER_HTTP_BIND", "0.0.0.0",
                "MAILER_SMTP_PW", "from-env"), List.of(secrets), "MAILER_");
        for (String own : ProcessSettings.ownVariables()) {
            assertThatThrownBy(() -> resolved("${env:" + own + "}")).as(own).isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("the mailer reads it for itself").hasMessageNotContaining("console-pw");
        }
        assertThat(ProcessSettings.ownVariables()).contains("MAILER_ADMIN_PASSWORD", "MAILER_HTTP_BIND",
                "MAILER_HTTP_PORT", "MAILER_LOG_FORMAT", "KAFKA_BOOTSTRAP_SERVERS");
        assertThat(resolved("${env:MAILER_SMTP_PW}")).isEqualTo("from-env");
    }

    @Test
    void shouldTakeTheFoldersAndPrefixFromTheProcessSettings() {
        Properties p = new Properties();
        ProcessSettings defaults = ProcessSettings.of(p);
        assertThat(defaults.secretsDirs()).containsExactly(Path.of("/run/secrets"));
        assertThat(defaults.secretsEnvPrefix()).isEqualTo("MAILER_");

        p.setProperty(ProcessSettings.SECRETS_DIRS, " /run/secrets , /etc/mailer/secrets ");
        p.setProperty(ProcessSettings.SECRETS_ENV_PREFIX, "ACME_MAILER_");
        ProcessSettings set = ProcessSettings.of(p);
        assertThat(set.secretsDirs()).containsExactly(Path.of("/run/secrets"), Path.of("/etc/mailer/secrets"));
        assertThat(set.secretsEnvPrefix()).isEqualTo("ACME_MAILER_");

        p.setProperty(ProcessSettings.SECRETS_DIRS, "secrets");
        assertThatThrownBy(() -> ProcessSettings.of(p).secretsDirs()).hasMessageContaining("not an absolute path");
        p.setProperty(ProcessSettings.SECRETS_ENV_PREFIX, "");
        assertThatThrownBy(() -> ProcessSettings.of(p).secretsEnvPrefix()).hasMessageContaining("must not be empty");
    }

    @Test
    void shouldRefuseAValueThatCouldNotBeStoredAndReadBack() throws IOException {
        Files.writeString(secrets.resolve("environ-like"), "A=1\0B=2\0");
        Files.writeString(secrets.resolve("crlf"), "pass\r\nRCPT TO:<x@example.com>\n");
        Files.writeString(secrets.resolve("reference"), "${env:MAILER_SMTP_PW}\n");
        assertRejected("${file:" + secrets.resolve("environ-like") + "}", "control characters");
        assertRejected("${file:" + secrets.resolve("crlf") + "}", "control characters");
        assertRejected("${file:" + secrets.resolve("reference") + "}", "another reference");
    }
}
