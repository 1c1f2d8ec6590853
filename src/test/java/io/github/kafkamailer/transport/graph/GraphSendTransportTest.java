package io.github.kafkamailer.transport.graph;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.failure.ServerFault;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Graph sendMail through the real Graph SDK against a local HTTPS stand-in of Graph. */
class GraphSendTransportTest {
    private static final String ALICE_SEND_MAIL = "/v1.0/users/alice%40example.com/sendMail";
    private static final byte[] PDF = "%PDF-1.4 test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static GraphStandIn graph;
    private GraphSendTransport transport;

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
        transport = new GraphSendTransport(graph.clients, Clock.systemUTC());
    }

    /** The user's own mailbox sends (forcePostmaster false). */
    private MailerConfig asTheUser() {
        return graph.config(Map.of("forcePostmaster", false));
    }

    private static EmailEvent.Builder email(String id) {
        return EmailEvent.builder(id).from("alice@example.com").to("bob@example.com").subject("Hello " + id)
                .text("Hi");
    }

    private SendOutcome sendOne(MailerConfig config, EmailEvent email) {
        try (TransportSession session = transport.open(config)) {
            return session.send(email);
        }
    }

    private void accept() {
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(202)));
    }

    private static String odataError(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    @Test
    void shouldPostTheEmailAsGraphSendMailJson() {
        accept();
        EmailEvent email = EmailEvent.builder("inv-1").from("\"Example, Alice\" <alice@example.com>")
                .to("bob@example.com", "Carl <carl@example.com>").cc("carol@example.com").bcc("dave@example.com")
                .replyTo("replies@example.com").subject("Invoice 42").text("plain").html("<p>HTML</p>")
                .attachments(List.of(new Attachment("invoice.pdf", "application/pdf",
                        Base64.getEncoder().encodeToString(PDF))))
                .headers(Map.of("X-Campaign", "november", "x-trace", "t-1")).build();

        SendOutcome outcome = sendOne(asTheUser(), email);

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Delivered.class,
                d -> assertThat(d.transport()).isEqualTo(TransportKind.GRAPH));
        LoggedRequest request = graph.requests().get(0);
        assertThat(request.getUrl()).isEqualTo(ALICE_SEND_MAIL);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer token-1");
        JsonNode body = GraphStandIn.json(request);
        // The SDK names the two top-level members in PascalCase; Graph reads them case-insensitively.
        assertThat(body.path("SaveToSentItems").asBoolean()).isTrue();
        JsonNode m = body.path("Message");
        assertThat(m.path("subject").asText()).isEqualTo("Invoice 42");
        assertThat(m.path("body").path("contentType").asText()).isEqualTo("html");
        assertThat(m.path("body").path("content").asText()).isEqualTo("<p>HTML</p>");
        assertThat(m.path("from").path("emailAddress").path("address").asText()).isEqualTo("alice@example.com");
        assertThat(m.path("from").path("emailAddress").path("name").asText()).isEqualTo("Example, Alice");
        assertThat(addresses(m.path("toRecipients"))).containsExactly("bob@example.com", "carl@example.com");
        assertThat(m.path("toRecipients").get(1).path("emailAddress").path("name").asText()).isEqualTo("Carl");
        assertThat(addresses(m.path("ccRecipients"))).containsExactly("carol@example.com");
        assertThat(addresses(m.path("bccRecipients"))).containsExactly("dave@example.com");
        assertThat(addresses(m.path("replyTo"))).containsExactly("replies@example.com");
        JsonNode attachment = m.path("attachments").get(0);
        assertThat(attachment.path("@odata.type").asText()).isEqualTo("#microsoft.graph.fileAttachment");
        assertThat(attachment.path("name").asText()).isEqualTo("invoice.pdf");
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/pdf");
        assertThat(Base64.getDecoder().decode(attachment.path("contentBytes").asText())).isEqualTo(PDF);
        // The event's headers, then the mailer's own, which names the email to the bounce reader (an X- header too).
        assertThat(m.path("internetMessageHeaders").findValuesAsText("name")).containsExactly("X-Campaign", "x-trace",
                "X-Mailer-Email-Id");
        assertThat(m.path("internetMessageHeaders").findValuesAsText("value")).containsExactly("november", "t-1",
                io.github.kafkamailer.transport.smtp.EmailIdHeader.value(email.tenant(), "inv-1"));
    }

    @Test
    void shouldCarryTheOneClickUnsubscribeAsTheExtendedPropertiesExchangeWritesAsHeaders() {
        accept();
        String url = "https://lists.example.com/leave/bob";
        EmailEvent email = EmailEvent.builder("news-1").from("alice@example.com").to("bob@example.com")
                .subject("News").text("plain").unsubscribe(io.github.kafkamailer.model.Unsubscribe.at(url)).build();

        SendOutcome outcome = sendOne(asTheUser(), email);

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        JsonNode m = GraphStandIn.json(graph.requests().get(0)).path("Message");
        assertThat(m.path("internetMessageHeaders").findValuesAsText("name"))
                .as("no List-* internet header: Graph refuses any but X-").containsExactly("X-Mailer-Email-Id");
        JsonNode props = m.path("singleValueExtendedProperties");
        assertThat(props.findValuesAsText("id")).containsExactly("String 0x1045",
                "String {00020386-0000-0000-C000-000000000046} Name List-Unsubscribe-Post");
        assertThat(props.findValuesAsText("value")).containsExactly("<" + url + ">", "List-Unsubscribe=One-Click");
    }

    @Test
    void shouldSendATextOnlyEmailAsATextBody() {
        accept();
        sendOne(asTheUser(), email("t1").build());

        JsonNode body = GraphStandIn.json(graph.requests().get(0)).path("Message").path("body");
        assertThat(body.path("contentType").asText()).isEqualTo("text");
        assertThat(body.path("content").asText()).isEqualTo("Hi");
        assertThat(GraphStandIn.json(graph.requests().get(0)).path("Message").has("replyTo")).isFalse();
    }

    @Test
    void shouldSendFromThePostmasterMailboxWhenForcedWithRepliesToTheUser() {
        accept();
        SendOutcome outcome = sendOne(graph.config(Map.of()), email("p1").build());

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        LoggedRequest request = graph.requests().get(0);
        assertThat(request.getUrl()).isEqualTo("/v1.0/users/noreply%40example.com/sendMail");
        JsonNode m = GraphStandIn.json(request).path("Message");
        assertThat(m.path("from").path("emailAddress").path("address").asText()).isEqualTo("noreply@example.com");
        assertThat(addresses(m.path("replyTo"))).containsExactly("alice@example.com");
    }

    @Test
    void shouldAskForOneTokenForAWholeBatchAndKeepItForTheNextRun() {
        accept();
        MailerConfig config = asTheUser();
        try (TransportSession run = transport.open(config)) {
            for (int i = 0; i < 3; i++) {
                assertThat(run.send(email("b" + i).build())).isInstanceOf(SendOutcome.Delivered.class);
            }
        }
        try (TransportSession nextRun = transport.open(config)) {
            assertThat(nextRun.send(email("b3").build())).isInstanceOf(SendOutcome.Delivered.class);
        }

        assertThat(graph.tokens.calls).hasValue(1);
        assertThat(graph.tokens.scopes).containsExactly("https://localhost:" + graph.server.httpsPort() + "/.default");
        assertThat(graph.requests()).hasSize(4)
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer token-1"));
    }

    @Test
    void shouldWaitForRetryAfterOn429ThenDeliver() {
        graph.server.stubFor(post(urlEqualTo(ALICE_SEND_MAIL)).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody(odataError("ApplicationThrottled", "Too many requests")))
                .willSetStateTo("cooled down"));
        graph.server.stubFor(post(urlEqualTo(ALICE_SEND_MAIL)).inScenario("throttled")
                .whenScenarioStateIs("cooled down").willReturn(aResponse().withStatus(202)));

        long start = System.nanoTime();
        SendOutcome outcome = sendOne(asTheUser(), email("r1").build());

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        List<LoggedRequest> requests = graph.requests();
        assertThat(requests).hasSize(2);
        // The retry carries the whole message again, not an emptied body.
        assertThat(requests.get(1).getBodyAsString()).isEqualTo(requests.get(0).getBodyAsString()).isNotEmpty();
    }

    @Test
    void shouldFailTransientlyAndStopTheRunWhen503LastsBeyondTheRetries() {
        // Retry-After 1, not 0: OkHttp itself repeats a 503 with "Retry-After: 0" once, below the SDK's count.
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));

        SendOutcome outcome = sendOne(asTheUser(), email("u1").build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isTrue();
            assertThat(f.reason()).contains("503");
            assertThat(f.serverFault()).as("a run with a fallback fails over").isEqualTo(ServerFault.SERVER_ERROR);
        });
        assertThat(graph.requests()).hasSize(1 + GraphStandIn.MAX_RETRIES);
    }

    @Test
    void shouldNotWaitForARetryAfterBeyondTheRetryBudget() {
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

        long start = System.nanoTime();
        SendOutcome outcome = sendOne(asTheUser(), email("u2").build());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GraphStandIn.RETRY_BUDGET);
        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.reason()).contains("429").contains("Retry-After: 120");
            assertThat(f.serverFault()).as("throttled: slow down, no failover").isNull();
        });
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void shouldFailTransientlyOnARetryAfterTheSdkCannotWaitOn() {
        // The SDK would compute a negative sleep for a past date and throw from inside its retry handler.
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")));

        SendOutcome outcome = sendOne(asTheUser(), email("u3").build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class,
                f -> assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT));
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void shouldRenewTheTokenOnceWhenGraphRefusesIt() {
        graph.server.stubFor(post(anyUrl()).withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(odataError("InvalidAuthenticationToken", "Access token has expired"))));
        graph.server.stubFor(post(anyUrl()).withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(aResponse().withStatus(202)));

        SendOutcome outcome = sendOne(asTheUser(), email("a1").build());

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(graph.tokens.invalidations).hasValue(1);
        assertThat(graph.tokens.calls).hasValue(2);
        assertThat(graph.requests()).extracting(r -> r.getHeader("Authorization"))
                .containsExactlyInAnyOrder("Bearer token-1", "Bearer token-2");
    }

    @Test
    void shouldFailTransientlyWhenARenewedTokenIsRefusedToo() {
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody(odataError("InvalidAuthenticationToken", "Access token validation failure"))));

        SendOutcome outcome = sendOne(asTheUser(), email("a2").build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isTrue();
            assertThat(f.reason()).contains("401").contains("InvalidAuthenticationToken");
            assertThat(f.serverFault()).as("credentials: no failover").isEqualTo(ServerFault.REFUSED);
        });
        assertThat(graph.requests()).hasSize(2);
        assertThat(graph.tokens.invalidations).hasValue(1);
    }

    @Test
    void shouldFailPermanentlyWithGraphsErrorCodeOnA403() {
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody(odataError("ErrorAccessDenied", "Access is denied. Check credentials and try again."))));

        SendOutcome outcome = sendOne(asTheUser(), email("d1").build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.PERMANENT);
            assertThat(f.serverDown()).isFalse();
            assertThat(f.reason()).contains("403").contains("ErrorAccessDenied").contains("Access is denied");
        });
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void shouldFailTransientlyOnAServerError() {
        graph.server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody(odataError("generalException", "General exception while processing"))));

        SendOutcome outcome = sendOne(asTheUser(), email("s1").build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isFalse();
            assertThat(f.reason()).contains("500").contains("generalException");
            assertThat(f.serverFault()).isEqualTo(ServerFault.SERVER_ERROR);
        });
    }

    @Test
    void shouldRefuseAHeaderGraphWouldDropAsInvalidWithoutCallingGraph() {
        accept();
        EmailEvent email = email("h1").headers(Map.of("X-Campaign", "nov", "List-Unsubscribe", "<mailto:u@x.example>"))
                .build();

        SendOutcome outcome = sendOne(asTheUser(), email);

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.INVALID);
            assertThat(f.reason()).contains("List-Unsubscribe").contains("X-");
        });
        assertThat(graph.requests()).isEmpty();
        assertThat(graph.tokens.calls).hasValue(0);
    }

    @Test
    void shouldFailTransientlyAndStopTheRunWhenNoTokenCanBeHad() {
        accept();
        graph.tokens.failure = new TokenSource.TokenException("AADSTS7000215: Invalid client secret provided",
                "invalid_client", true, null);

        SendOutcome outcome = sendOne(asTheUser(), email("k1").build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isTrue();
            assertThat(f.reason()).contains("invalid_client").doesNotContain("s3cret");
        });
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void shouldFailTransientlyAndStopTheRunWhenGraphCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        MailerConfig config = graph.config(Map.of("forcePostmaster", false,
                "graphBaseUrl", "https://localhost:" + closedPort + "/v1.0"));

        SendOutcome outcome = sendOne(config, email("n1").build());

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, f -> {
            assertThat(f.failureClass()).isEqualTo(FailureClass.TRANSIENT);
            assertThat(f.serverDown()).isTrue();
            assertThat(f.reason()).contains("cannot reach Microsoft Graph at localhost");
            assertThat(f.serverFault()).isEqualTo(ServerFault.UNREACHABLE);
        });
    }

    @Test
    void shouldNotSendTheTokenToAnotherHost() {
        // 127.0.0.1 is the same server under another name: not the host graphBaseUrl names.
        GraphTokens tokens = new GraphTokens(graph.tokens, asTheUser(), "https://localhost/.default", "localhost",
                Clock.systemUTC());

        assertThat(tokens.getAuthorizationToken(URI.create("https://127.0.0.1/v1.0/users"), Map.of())).isEmpty();
        assertThat(tokens.getAuthorizationToken(URI.create("http://localhost/v1.0/users"), Map.of())).isEmpty();
        assertThat(tokens.getAuthorizationToken(URI.create("https://localhost/v1.0/users"), Map.of()))
                .isEqualTo("token-1");
    }

    private static List<String> addresses(JsonNode recipients) {
        return recipients.findValuesAsText("address");
    }
}
