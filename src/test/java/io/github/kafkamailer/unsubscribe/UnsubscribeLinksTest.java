package io.github.kafkamailer.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.model.Unsubscribe;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mailer's own links are made in front of the transports, which see only a URL. */
class UnsubscribeLinksTest {
    private static final MailerConfig CONFIG = ConfigRules.parse(Map.of("smtpHost", "smtp.example.com",
            "postmaster", "noreply@example.com"));
    private final UnsubscribeTokens tokens = new UnsubscribeTokens("a key of at least thirty-two bytes!!");
    private final List<EmailEvent> sent = new ArrayList<>();
    private final MailTransport recording = config -> new TransportSession() {
        @Override
        public SendOutcome send(EmailEvent email) {
            sent.add(email);
            return new SendOutcome.Delivered(TransportKind.SMTP, Instant.EPOCH, List.of(), List.of(), null);
        }

        @Override
        public void close() {
        }
    };

    private static EmailEvent.Builder email() {
        return EmailEvent.builder("n-1").tenant("acme").to("Bob <Bob@Example.com>").subject("News").text("Hi");
    }

    @Test
    void shouldReplaceTrueWithASignedLinkUnderTheBaseUrl() {
        MailTransport t = UnsubscribeLinks.around(recording, "https://mail.example.com/", tokens);

        t.open(CONFIG).send(email().unsubscribe(Unsubscribe.mailersOwn()).build());

        String url = sent.get(0).unsubscribe().url();
        assertThat(url).startsWith("https://mail.example.com/unsubscribe/");
        String token = url.substring("https://mail.example.com/unsubscribe/".length());
        assertThat(tokens.read(token)).contains(new UnsubscribeTokens.Recipient("acme", "bob@example.com"));
    }

    @Test
    void shouldPassTheProducersUrlAndEmailsWithoutUnsubscribeUnchanged() {
        MailTransport t = UnsubscribeLinks.around(recording, "https://mail.example.com", tokens);
        EmailEvent own = email().unsubscribe(Unsubscribe.at("https://lists.example.com/u/1")).build();
        EmailEvent none = email().build();

        t.open(CONFIG).send(own);
        t.open(CONFIG).send(none);

        assertThat(sent).containsExactly(own, none);
    }

    @Test
    void shouldFailTrueAsInvalidWhenTheMailerHasNoLinks() {
        MailTransport t = UnsubscribeLinks.around(recording, null, null);

        SendOutcome outcome = t.open(CONFIG).send(email().unsubscribe(Unsubscribe.mailersOwn()).build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.INVALID);
            assertThat(f.reason()).contains("mailer.unsubscribe.base.url").contains("mailer.unsubscribe.key");
        });
        assertThat(sent).isEmpty();
    }
}
