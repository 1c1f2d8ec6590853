package io.github.kafkamailer.unsubscribe;

import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.model.Unsubscribe;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes the mailer's own one-click unsubscribe links (CONTRACT.md, "One-click unsubscribe"): an email with
 * {@code "unsubscribe": true} leaves with {@code BASE/unsubscribe/TOKEN} in its place, the token naming the tenant
 * and the email's one recipient ({@link UnsubscribeTokens}). It sits in front of the transports, which see only a
 * URL, whoever made it; the link is made when the email is sent, so the event, the pending store and the retry topic
 * keep {@code true} and never a token.
 *
 * <p>Without the process settings (base URL and key) an email with {@code true} can't be sent as it asks: it fails
 * as {@code INVALID}, and so goes to the dead-letter topic with a reason naming them.
 */
public final class UnsubscribeLinks implements MailTransport {
    /** The path under the base URL; the HTTP server serves {@code POST} and {@code GET} there. */
    public static final String PATH = "/unsubscribe/";
    static final String NOT_SET_UP = "unsubscribe: true needs the mailer's own unsubscribe link, and this mailer has"
            + " none: set the process settings mailer.unsubscribe.base.url and mailer.unsubscribe.key (README,"
            + " \"One-click unsubscribe\"), or give {\"url\": \"https://...\"}";

    private final MailTransport next;
    private final String base;
    private final UnsubscribeTokens tokens;

    private UnsubscribeLinks(MailTransport next, String base, UnsubscribeTokens tokens) {
        this.next = next;
        this.base = base;
        this.tokens = tokens;
    }

    /**
     * {@code next}, with the mailer's own links made for it.
     *
     * @param baseUrl the public https address of the mailer's HTTP server; null (with {@code tokens} null) when the
     *                mailer has no links of its own
     * @param tokens  signs the tokens; null when the mailer has no links of its own
     */
    public static MailTransport around(MailTransport next, String baseUrl, UnsubscribeTokens tokens) {
        if ((baseUrl == null) != (tokens == null)) {
            throw new IllegalArgumentException("the unsubscribe base URL and key go together");
        }
        return new UnsubscribeLinks(next, baseUrl == null ? null : stripSlashes(baseUrl), tokens);
    }

    private static String stripSlashes(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** The link that unsubscribes {@code address} from {@code tenant}'s emails. */
    public String linkFor(String tenant, String address) {
        if (tokens == null) {
            throw new IllegalStateException(NOT_SET_UP);
        }
        return base + PATH + tokens.tokenFor(tenant, address);
    }

    @Override
    public TransportSession open(MailerConfig config) {
        TransportSession session = next.open(config);
        return new TransportSession() {
            @Override
            public SendOutcome send(EmailEvent email) {
                return send(email, null);
            }

            @Override
            public SendOutcome send(EmailEvent email, List<String> onlyRecipients) {
                if (email.unsubscribe() == null || !email.unsubscribe().isMailersOwn()) {
                    return session.send(email, onlyRecipients);
                }
                List<String> recipients = Stream.of(email.to(), email.cc(), email.bcc()).flatMap(List::stream).toList();
                if (tokens == null || recipients.size() != 1) {
                    TransportKind kind = email.mode() == Mode.DRAFT ? TransportKind.GRAPH : config.transportKind();
                    return new SendOutcome.Failed(kind, FailureClass.INVALID, tokens == null ? NOT_SET_UP
                            : "unsubscribe: true needs exactly one recipient, got " + recipients.size(), false);
                }
                String link = linkFor(email.tenant(), recipients.get(0));
                return session.send(email.withUnsubscribe(Unsubscribe.at(link)), onlyRecipients);
            }

            @Override
            public void abort() {
                session.abort();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
