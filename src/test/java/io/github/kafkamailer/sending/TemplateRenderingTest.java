package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.json.ConfigJson;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.Template;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.template.CompiledTemplate;
import io.github.kafkamailer.template.TemplateCompiler;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendering in front of the transports: what reaches them, and how a template's failures are classed. */
class TemplateRenderingTest {
    private static final MailerConfig CONFIG = ConfigJson.parse(("{\"enabled\":true,\"smtpHost\":\"127.0.0.1\","
            + "\"postmaster\":\"noreply@example.com\"}").getBytes(StandardCharsets.UTF_8));
    private static final CompiledTemplate HELLO = TemplateCompiler.compile(
            new Template("acme", "hello", "Hello {{name}}", "Hi {{name}}", "<b>{{name}}</b>"));

    private final List<EmailEvent> reached = new ArrayList<>();
    private final List<List<String>> recipients = new ArrayList<>();
    private final MailTransport recording = config -> new TransportSession() {
        @Override
        public SendOutcome send(EmailEvent email) {
            return send(email, null);
        }

        @Override
        public SendOutcome send(EmailEvent email, List<String> onlyRecipients) {
            reached.add(email);
            recipients.add(onlyRecipients);
            return new SendOutcome.Delivered(TransportKind.SMTP, Instant.EPOCH, List.of());
        }

        @Override
        public void close() {
        }
    };

    private SendOutcome send(EmailEvent email, TemplateLookup templates, long maxChars) {
        try (TransportSession s = TemplateRendering.around(recording, templates, maxChars).open(CONFIG)) {
            return s.send(email, List.of("bob@example.com"));
        }
    }

    private static EmailEvent.Builder email() {
        return EmailEvent.builder("e1").tenant("acme").from("alice@example.com").to("bob@example.com");
    }

    @Test
    void shouldHandADraftItsRenderedContentAndTheRecipientsAsGiven() {
        EmailEvent draft = email().mode(Mode.DRAFT).template("hello", Map.of("name", "<Bob>")).build();

        assertThat(send(draft, (t, n) -> t.equals("acme") && n.equals("hello") ? HELLO : null, 1000))
                .isInstanceOf(SendOutcome.Delivered.class);
        assertThat(reached).singleElement().satisfies(e -> {
            assertThat(e.mode()).isEqualTo(Mode.DRAFT);
            assertThat(e.subject()).isEqualTo("Hello <Bob>");
            assertThat(e.text()).isEqualTo("Hi <Bob>");
            assertThat(e.html()).isEqualTo("<b>&lt;Bob&gt;</b>");
            assertThat(e.template()).isEqualTo("hello");
            assertThat(e.needsRendering()).isFalse();
        });
        assertThat(recipients).containsExactly(List.of("bob@example.com"));
    }

    @Test
    void shouldPassAnEmailWithItsOwnContentUntouched() {
        EmailEvent plain = email().subject("Hi").text("Hello").build();
        send(plain, TemplateLookup.NONE, 1000);
        assertThat(reached).containsExactly(plain);
    }

    @Test
    void shouldClassAnUnknownTemplateAsTransientAndSendNothing() {
        SendOutcome o = send(email().mode(Mode.DRAFT).template("hello", Map.of()).build(), TemplateLookup.NONE, 1000);
        assertThat(o).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.transport()).isEqualTo(TransportKind.GRAPH);
            assertThat(f.reason()).contains("template 'hello'", "'acme'");
            assertThat(f.stopsRun()).isFalse();
        });
        assertThat(reached).isEmpty();
    }

    @Test
    void shouldClassARenderPastTheLimitAsInvalidAndSendNothing() {
        SendOutcome o = send(email().template("hello", Map.of("name", "x".repeat(100))).build(), (t, n) -> HELLO, 50);
        assertThat(o).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.INVALID);
            assertThat(f.reason()).contains("template 'hello'", "50 characters");
        });
        assertThat(reached).isEmpty();
    }

    @Test
    void shouldRefuseALimitOfNothing() {
        assertThatThrownBy(() -> TemplateRendering.around(recording, TemplateLookup.NONE, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
