package io.github.kafkamailer.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.model.InvalidRecordException;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.model.SuppressionReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuppressionJsonTest {
    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void theContractsExampleReadsAndWritesBack() {
        byte[] json = ("{\"tenant\": \"default\", \"address\": \"bob@example.com\", \"reason\": \"UNSUBSCRIBED\","
                + " \"at\": \"2026-12-04T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
        Suppression s = SuppressionJson.parse("default/bob@example.com", json);
        assertThat(s).isEqualTo(new Suppression("default", "bob@example.com", SuppressionReason.UNSUBSCRIBED, AT));
        assertThat(SuppressionJson.parse(s.key(), SuppressionJson.write(s))).isEqualTo(s);
    }

    @Test
    void theAddressIsKeyedLowerCasedWithoutItsDisplayName() {
        Suppression s = new Suppression("acme", "Bob <Bob@Example.COM>", SuppressionReason.MANUAL, AT);
        assertThat(s.key()).isEqualTo("acme/bob@example.com");
        assertThat(Suppression.keyOf("acme", " BOB@example.com ")).isEqualTo("acme/bob@example.com");
    }

    @Test
    void aKeyThatIsNotTheValuesTenantAndAddressIsRefused() {
        byte[] json = SuppressionJson.write(new Suppression("acme", "bob@example.com", SuppressionReason.MANUAL, AT));
        assertThatThrownBy(() -> SuppressionJson.parse("other/bob@example.com", json))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("key");
    }

    @Test
    void everyBrokenFieldIsNamedAtOnce() {
        byte[] json = "{\"tenant\": \"acme\", \"address\": \"not an address\", \"reason\": \"BORED\", \"at\": \"x\", \"y\": 1}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SuppressionJson.parse(null, json))
                .isInstanceOf(InvalidRecordException.class)
                .satisfies(e -> assertThat(((InvalidRecordException) e).violations())
                        .extracting(v -> v.field()).containsExactlyInAnyOrder("y", "address", "reason", "at"));
    }

    @Test
    void onlyUnsubscribedSparesEmailsWithoutUnsubscribe() {
        assertThat(SuppressionReason.UNSUBSCRIBED.suppresses(false)).isFalse();
        assertThat(SuppressionReason.UNSUBSCRIBED.suppresses(true)).isTrue();
        assertThat(SuppressionReason.BOUNCED.suppresses(false)).isTrue();
    }

    @Test
    void aStatusWritesItsOptionalFieldsOnlyWhenSet() {
        StatusEvent plain = new StatusEvent("e-1", "acme", Status.SENT, 1, AT, null, null);
        assertThat(new String(StatusEventJson.write(plain), StandardCharsets.UTF_8))
                .doesNotContain("server", "template", "suppressed", "recipient");
        StatusEvent full = plain.withServer(StatusEvent.FALLBACK_SERVER).withTemplate("invoice")
                .withSuppressed(List.of("bob@example.com")).withRecipient("carol@example.com");
        assertThat(StatusEventJson.parse(StatusEventJson.write(full))).isEqualTo(full);
    }
}
