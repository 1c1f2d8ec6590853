package io.github.kafkamailer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.unsubscribe.UnsubscribeTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailer.unsubscribe.base.url} and {@code mailer.unsubscribe.key}: both or neither, an https base, a key given
 * as a reference, resolved for the mailer and denied to the config records.
 */
class UnsubscribeSettingsTest {
    private static final String KEY = "a-key-of-forty-characters-0123456789abcd";

    @TempDir
    Path secrets;

    private static ProcessSettings settings(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return ProcessSettings.of(p);
    }

    private ProcessSettings withKeyFile() throws IOException {
        Path key = Files.writeString(secrets.resolve("unsubscribe-key"), KEY + "\n");
        return settings("mailer.secrets.dirs", secrets.toString(),
                "mailer.unsubscribe.base.url", "https://mail.example.com",
                "mailer.unsubscribe.key", "${file:" + key + "}");
    }

    @Test
    void shouldHaveNoLinksWithoutTheSettings() {
        assertThat(UnsubscribeSetup.tokens(settings())).isEmpty();
        assertThat(settings().checked().unsubscribeBaseUrl()).isEmpty();
    }

    @Test
    void shouldResolveTheKeyReferenceForTheMailer() throws IOException {
        ProcessSettings s = withKeyFile();

        UnsubscribeTokens tokens = UnsubscribeSetup.tokens(s).orElseThrow();

        assertThat(tokens.read(new UnsubscribeTokens(KEY).tokenFor("acme", "bob@example.com"))).isPresent();
        assertThat(s.checked().unsubscribeBaseUrl()).contains("https://mail.example.com");
    }

    @Test
    void shouldDenyTheKeysFileAndVariableToConfigRecords() throws IOException {
        ProcessSettings s = withKeyFile();

        assertThatThrownBy(() -> EnvironmentSecrets.of(s).file(secrets.resolve("unsubscribe-key").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reads it for itself");
        ProcessSettings env = settings("mailer.unsubscribe.base.url", "https://mail.example.com",
                "mailer.unsubscribe.key", "${env:MAILER_UNSUBSCRIBE_KEY}");
        assertThatThrownBy(() -> EnvironmentSecrets.of(env).env("MAILER_UNSUBSCRIBE_KEY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reads it for itself");
    }

    @Test
    void shouldRefuseOneWithoutTheOther() {
        assertThatThrownBy(() -> settings("mailer.unsubscribe.base.url", "https://mail.example.com").checked())
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> settings("mailer.unsubscribe.key", "${env:MAILER_K}").checked())
                .hasMessageContaining("go together");
    }

    @Test
    void shouldRefuseABaseThatIsNotHttpsAndAKeyThatIsNoReference() {
        assertThatThrownBy(() -> settings("mailer.unsubscribe.base.url", "http://mail.example.com",
                "mailer.unsubscribe.key", "${env:MAILER_K}").checked())
                .hasMessageContaining("mailer.unsubscribe.base.url").hasMessageContaining("https");
        assertThatThrownBy(() -> settings("mailer.unsubscribe.base.url", "https://mail.example.com",
                "mailer.unsubscribe.key", "the-key-itself-written-in-the-file-0123").checked())
                .hasMessageContaining("mailer.unsubscribe.key").hasMessageContaining("reference")
                .hasMessageNotContaining("the-key-itself");
    }

    @Test
    void shouldRefuseAShortKeyNamingTheSettingNotTheKey() throws IOException {
        Path key = Files.writeString(secrets.resolve("short"), "short-key");
        ProcessSettings s = settings("mailer.secrets.dirs", secrets.toString(),
                "mailer.unsubscribe.base.url", "https://mail.example.com",
                "mailer.unsubscribe.key", "${file:" + key + "}");

        assertThatThrownBy(() -> UnsubscribeSetup.tokens(s)).hasMessageContaining("mailer.unsubscribe.key")
                .hasMessageContaining("at least 32 bytes").hasMessageNotContaining("short-key");
    }
}
