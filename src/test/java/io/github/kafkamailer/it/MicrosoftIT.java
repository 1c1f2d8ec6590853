package io.github.kafkamailer.it;

import io.github.kafkamailer.testing.TestTls;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.RoutingTransport;
import io.github.kafkamailer.transport.graph.GraphClients;
import io.github.kafkamailer.transport.graph.GraphDraftTransport;
import io.github.kafkamailer.transport.graph.GraphSendTransport;
import io.github.kafkamailer.transport.oauth.MsalTokenSource;
import io.github.kafkamailer.transport.smtp.SmtpTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Microsoft 365 through the whole mailer: emails and drafts from the outbox topic to a local HTTPS stand-in of
 * the token endpoint and of Graph, with the real msal4j and Graph SDK in front of it.
 */
class MicrosoftIT {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private WireMockServer microsoft;
    private MailerHarness mailer;

    @BeforeEach
    void setUp() throws Exception {
        microsoft = TestTls.httpsWireMock();
        microsoft.stubFor(post(urlPathEqualTo("/contoso/oauth2/v2.0/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"graph-token\"}")));
        microsoft.stubFor(post(urlPathMatching("/v1.0/users/.*/sendMail")).willReturn(aResponse().withStatus(202)));
        // The drafts' lookup by Message-ID (before creating one) finds none.
        microsoft.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/v1.0/users/.*/messages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"value\":[]}")));
        microsoft.stubFor(post(urlPathMatching("/v1.0/users/.*/messages")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"AAMk-draft\",\"isDraft\":true}")));
        mailer = new MailerHarness(dir.resolve("state"));
        mailer.start(transports());
    }

    @AfterEach
    void tearDown() {
        mailer.close();
        microsoft.stop();
    }

    /** The production transports, trusting the stand-in's test certificate. */
    private MailTransport transports() throws Exception {
        X509TrustManager trust = TestTls.trustManager();
        SSLContext tls = TestTls.sslContext(trust);
        Clock clock = Clock.systemUTC();
        MsalTokenSource tokens = new MsalTokenSource(clock, tls.getSocketFactory());
        GraphClients graph = new GraphClients(tokens, clock, GraphClients.Limits.defaults(), tls.getSocketFactory(), trust);
        SmtpTransport smtp = new SmtpTransport(clock, Duration.ofSeconds(5), tls.getSocketFactory(), tokens);
        return new RoutingTransport(Map.of(TransportKind.SMTP, smtp, TransportKind.SMTP_OAUTH, smtp,
                TransportKind.GRAPH, new GraphSendTransport(graph, clock)), new GraphDraftTransport(graph, clock));
    }

    private String graphConfig() {
        String base = "https://localhost:" + microsoft.httpsPort();
        return "{\"enabled\":true,\"useGraphApi\":true,\"tenantId\":\"contoso\",\"clientId\":\"app-1\","
                + "\"clientSecret\":\"graph-s3cret\",\"postmaster\":\"donotreply@contoso.example\","
                + "\"outlookSender\":\"assistant@contoso.example\",\"campaignIntervalSeconds\":1,"
                + "\"authorityHost\":\"" + base + "\",\"graphBaseUrl\":\"" + base + "/v1.0\"}";
    }

    @Test
    void shouldSendThroughGraphAndCreateDraftsWithOneToken() {
        mailer.publishConfig("default", graphConfig());
        mailer.publishEmail("g1", email("g1", ""));
        mailer.publishEmail("g2", email("g2", ""));
        mailer.publishEmail("d1", email("d1", "\"mode\":\"DRAFT\""));

        MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.statuses())
                .extracting(StatusEvent::id, StatusEvent::status, StatusEvent::transport)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("g1", Status.SENT, TransportKind.GRAPH),
                        org.assertj.core.groups.Tuple.tuple("g2", Status.SENT, TransportKind.GRAPH),
                        org.assertj.core.groups.Tuple.tuple("d1", Status.DRAFTED, TransportKind.GRAPH)));

        // The postmaster is forced: every sendMail goes out from its mailbox; the draft lands in outlookSender's.
        assertThat(microsoft.findAll(postRequestedFor(urlPathMatching("/v1.0/users/.*/sendMail")))).hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.getUrl()).contains("donotreply%40contoso.example");
                    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer graph-token");
                });
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo("/v1.0/users/assistant%40contoso.example/messages"))
                .withRequestBody(containing("Subject d1")))).hasSize(1);
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo("/contoso/oauth2/v2.0/token")))).hasSize(1);
    }

    @Test
    void shouldDeadLetterADraftForATenantWithoutGraphCredentials() {
        mailer.publishConfig("default", MailerHarness.config(2525, ""));
        mailer.publishEmail("d2", email("d2", "\"mode\":\"DRAFT\""));

        MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
        await().atMost(WAIT).until(() -> dlq.poll().size() == 1);
        ConsumerRecord<byte[], byte[]> dead = dlq.poll().get(0);
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.KIND).value(), StandardCharsets.UTF_8))
                .isEqualTo("INVALID");
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.MESSAGE).value(), StandardCharsets.UTF_8))
                .contains("tenantId, clientId and clientSecret");
    }

}
