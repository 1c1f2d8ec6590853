package io.github.kafkamailer.transport.graph;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.RoutingTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outlook (New) drafts through the real Graph SDK against a local HTTPS stand-in of Graph. */
class GraphDraftTransportTest {
    private static GraphStandIn graph;
    private GraphDraftTransport transport;

    @BeforeAll
    static void startGraph() {
        graph = new GraphStandIn();
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @BeforeEach
    void freshGraph() {
        graph.reset();
        transport = new GraphDraftTransport(graph.clients, Clock.systemUTC());
        createdAnswers();
    }

    private static void createdAnswers() {
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"AAMkAGI2TG93AAA=\",\"isDraft\":true,\"subject\":\"Quote 7\"}")));
    }

    private static EmailEvent draft(String id) {
        return EmailEvent.builder(id).mode(Mode.DRAFT).from("alice@example.com").to("bob@example.com")
                .cc("carol@example.com").subject("Quote 7").html("<p>Draft body</p>")
                .headers(Map.of("X-Quote", "7")).build();
    }

    private SendOutcome draftOne(Map<String, Object> config, EmailEvent email) {
        try (TransportSession session = transport.open(graph.config(config))) {
            return session.send(email);
        }
    }

    @Test
    void shouldCreateTheDraftInTheOutlookSendersMailbox() {
        SendOutcome outcome = draftOne(Map.of("outlookSender", "outlook@example.com"), draft("q7"));

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Drafted.class,
                d -> assertThat(d.transport()).isEqualTo(TransportKind.GRAPH));
        LoggedRequest request = graph.writes().get(0);
        assertThat(graph.writes()).hasSize(1);
        assertThat(request.getUrl()).isEqualTo("/v1.0/users/outlook%40example.com/messages");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer token-1");
        JsonNode m = GraphStandIn.json(request);
        assertThat(m.path("subject").asText()).isEqualTo("Quote 7");
        assertThat(m.path("body").path("contentType").asText()).isEqualTo("html");
        assertThat(m.path("body").path("content").asText()).isEqualTo("<p>Draft body</p>");
        assertThat(m.path("from").path("emailAddress").path("address").asText()).isEqualTo("outlook@example.com");
        // forcePostmaster (the default): replies go to the user the email is from.
        assertThat(m.path("replyTo").findValuesAsText("address")).containsExactly("alice@example.com");
        assertThat(m.path("toRecipients").findValuesAsText("address")).containsExactly("bob@example.com");
        assertThat(m.path("ccRecipients").findValuesAsText("address")).containsExactly("carol@example.com");
        assertThat(m.path("internetMessageHeaders").findValuesAsText("name")).containsExactly("X-Quote",
                "X-Mailer-Email-Id");
    }

    @Test
    void shouldDraftInThePostmasterMailboxWhenThereIsNoOutlookSender() {
        SendOutcome outcome = draftOne(Map.of(), draft("q8"));

        assertThat(outcome).isInstanceOf(SendOutcome.Drafted.class);
        assertThat(graph.writes().get(0).getUrl()).isEqualTo("/v1.0/users/noreply%40example.com/messages");
    }

    @Test
    void shouldDraftThroughGraphForATenantThatSendsOverSmtp() {
        MailTransport smtpNeverUsed = config -> {
            throw new AssertionError("a DRAFT email must not go to the sending transport");
        };
        RoutingTransport routing = new RoutingTransport(Map.of(TransportKind.SMTP, smtpNeverUsed), transport);
        MailerConfig smtpTenant = graph.config(Map.of("useGraphApi", false, "smtpHost", "smtp.example.com",
                "outlookSender", "outlook@example.com"));

        try (TransportSession session = routing.open(smtpTenant)) {
            assertThat(session.send(draft("q10"))).isInstanceOf(SendOutcome.Drafted.class);
        }
        assertThat(graph.writes().get(0).getUrl()).isEqualTo("/v1.0/users/outlook%40example.com/messages");
    }

    @Test
    void shouldFailPermanentlyWhenTheMailboxMayNotDraft() {
        graph.server.resetMappings();
        graph.server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"ErrorInvalidUser\","
                        + "\"message\":\"The requested user is invalid.\"}}")));

        SendOutcome outcome = draftOne(Map.of("outlookSender", "nobody@example.com"), draft("q9"));

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.PERMANENT);
            assertThat(f.reason()).contains("ErrorInvalidUser");
        });
    }
}
