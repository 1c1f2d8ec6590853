package io.github.kafkamailer.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The signed tokens of the mailer's own unsubscribe links: only an unchanged token of this key is read. */
class UnsubscribeTokensTest {
    private static final String KEY = "k".repeat(16) + "0123456789abcdef";
    private final UnsubscribeTokens tokens = new UnsubscribeTokens(KEY);

    @Test
    void shouldReadBackTheTenantAndTheBareLowerCasedAddress() {
        String token = tokens.tokenFor("acme", "Bob Smith <Bob@Example.COM>");

        assertThat(tokens.read(token)).contains(new UnsubscribeTokens.Recipient("acme", "bob@example.com"));
        assertThat(tokens.read(token).orElseThrow().suppressionKey()).isEqualTo("acme/bob@example.com");
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void shouldRefuseATokenMadeWithAnotherKey() {
        String other = new UnsubscribeTokens("another key, just as long as the first").tokenFor("acme", "bob@example.com");

        assertThat(tokens.read(other)).isEmpty();
    }

    @Test
    void shouldRefuseATokenWhosePayloadWasChanged() {
        String token = tokens.tokenFor("acme", "bob@example.com");
        String signature = token.substring(token.indexOf('.'));
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("acme\nalice@example.com".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.read(otherPayload + signature)).isEmpty();
    }

    @Test
    void shouldRefuseEveryOneCharacterChange() {
        String token = tokens.tokenFor("acme", "bob@example.com");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String altered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);

            assertThat(tokens.read(altered)).as("changed at %d: %s", i, altered).isEmpty();
        }
        assertThat(tokens.read(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(tokens.read(token + "A")).isEmpty();
    }

    @Test
    void shouldRefuseForgeriesAndNonsense() {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("acme\nbob@example.com".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.read(payload)).isEmpty();
        assertThat(tokens.read(payload + ".")).isEmpty();
        assertThat(tokens.read(payload + "." + "A".repeat(43))).isEmpty();
        assertThat(tokens.read("")).isEmpty();
        assertThat(tokens.read(null)).isEmpty();
        assertThat(tokens.read("a.b.c")).isEmpty();
        assertThat(tokens.read("not base64!.x")).isEmpty();
        assertThat(tokens.read("x".repeat(UnsubscribeTokens.MAX_TOKEN_LENGTH + 1))).isEmpty();
    }

    @Test
    void shouldRefuseAShortKeyWithoutQuotingIt() {
        assertThatThrownBy(() -> new UnsubscribeTokens("short-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("short-secret");
        assertThat(tokens.toString()).doesNotContain(KEY);
    }
}
