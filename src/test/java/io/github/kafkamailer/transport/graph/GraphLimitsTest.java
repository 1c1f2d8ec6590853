package io.github.kafkamailer.transport.graph;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.kafkamailer.model.Attachment;
import io.github.kafkamailer.model.ConfigRules;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Mode;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.SendResult;
import io.github.kafkamailer.sending.SenderLanes;
import io.github.kafkamailer.sending.TenantSender;
import io.github.kafkamailer.testing.TestTls;
import io.github.kafkamailer.transport.MailTransport;
import io.github.kafkamailer.transport.SendOutcome;
import io.github.kafkamailer.transport.TransportSession;
import io.github.kafkamailer.transport.smtp.MessageIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph's own limits against a stateful stand-in of a Graph mailbox ({@link GraphMailbox}) through the real
 * Graph SDK: one draft per email however its create went, emails beyond 4 MB through a draft and upload
 * sessions, and never more than 4 requests in flight per mailbox.
 */
class GraphLimitsTest {
    private static final String OUTLOOK = "outlook@example.com";
    private static GraphMailbox mailbox;
    private static WireMockServer server;
    private GraphClients clients;

    @BeforeAll
    static void start() {
        mailbox = new GraphMailbox();
        server = TestTls.concurrentHttpsWireMock(mailbox);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void fresh() {
        server.resetAll();
        server.stubFor(any(anyUrl()).willReturn(ok()));
        mailbox.reset();
        X509TrustManager trust = TestTls.trustManager();
        clients = new GraphClients(new CountingTokenSource(), Clock.systemUTC(),
                new GraphClients.Limits(Duration.ofSeconds(5), Duration.ofSeconds(20), 2, Duration.ofSeconds(10)),
                TestTls.sslContext(trust).getSocketFactory(), trust);
    }

    private MailerConfig config(Map<String, Object> extra) {
        Map<String, Object> c = new HashMap<>(Map.of("enabled", true, "useGraphApi", true, "tenantId", "tenant-1",
                "clientId", "client-1", "clientSecret", "s3cret", "postmaster", "noreply@example.com",
                "outlookSender", OUTLOOK, "forcePostmaster", false,
                "graphBaseUrl", "https://localhost:" + server.httpsPort() + "/v1.0"));
        c.putAll(extra);
        return ConfigRules.parse(c);
    }

    private static SendOutcome once(MailTransport transport, MailerConfig config, EmailEvent email) {
        try (TransportSession session = transport.open(config)) {
            return session.send(email);
        }
    }

    private static EmailEvent.Builder email(String id) {
        return EmailEvent.builder(id).from("alice@example.com").to("bob@example.com").subject("Subject " + id)
                .text("Hello");
    }

    @Test
    void shouldCreateExactlyOneDraftWhenTheCreateIsAnswered504AndRetried() {
        mailbox.createsAnswered504 = 1;

        SendOutcome outcome = once(new GraphDraftTransport(clients, Clock.systemUTC()), config(Map.of()),
                email("q7").mode(Mode.DRAFT).build());

        assertThat(outcome).isInstanceOf(SendOutcome.Drafted.class);
        assertThat(mailbox.draftsCreated).hasValue(1);
        assertThat(mailbox.all()).singleElement()
                .satisfies(m -> assertThat(m.marker).isEqualTo(MessageIds.of("default", "q7", OUTLOOK)));
    }

    @Test
    void shouldNotDraftAgainAnEmailAlreadyDraftedBeforeACrash() {
        GraphDraftTransport transport = new GraphDraftTransport(clients, Clock.systemUTC());
        EmailEvent draft = email("q8").mode(Mode.DRAFT).build();

        assertThat(once(transport, config(Map.of()), draft)).isInstanceOf(SendOutcome.Drafted.class);
        assertThat(once(transport, config(Map.of()), draft)).isInstanceOf(SendOutcome.Drafted.class);

        assertThat(mailbox.draftsCreated).hasValue(1);
        assertThat(mailbox.all()).hasSize(1);
    }

    @Test
    void shouldSendAFiveMegabyteAttachmentThroughADraftAndAnUploadSessionInChunksOfAtMost4Mb() {
        byte[] big = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(big);
        byte[] small = "%PDF-1.4 small".getBytes(StandardCharsets.US_ASCII);
        EmailEvent email = email("big-1").attachments(List.of(
                new Attachment("scan.bin", "application/octet-stream", Base64.getEncoder().encodeToString(big)),
                new Attachment("note.pdf", "application/pdf", Base64.getEncoder().encodeToString(small)))).build();

        SendOutcome outcome = once(new GraphSendTransport(clients, Clock.systemUTC()), config(Map.of()), email);

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(mailbox.sendMails).hasValue(0);
        assertThat(mailbox.sends).hasValue(1);
        assertThat(mailbox.violations).isEmpty();
        assertThat(mailbox.chunkRanges).hasSizeGreaterThanOrEqualTo(2);
        // The upload URL carries its own token: ours goes only to Graph.
        assertThat(mailbox.uploadAuthorizations).isEmpty();
        assertThat(mailbox.all()).singleElement().satisfies(m -> {
            assertThat(m.isDraft).isFalse();
            assertThat(m.marker).isEqualTo(MessageIds.of("default", "big-1", "alice@example.com"));
            assertThat(m.attachments.get("scan.bin")).isEqualTo(big);
            assertThat(m.attachments.get("note.pdf")).isEqualTo(small);
        });
    }

    @Test
    void shouldNotSendALargeEmailAgainWhenItWasSentBeforeACrash() {
        byte[] big = new byte[3_100_000];
        new Random(3).nextBytes(big);
        EmailEvent email = email("big-2").attachments(List.of(
                new Attachment("scan.bin", "application/octet-stream", Base64.getEncoder().encodeToString(big))))
                .build();
        GraphSendTransport transport = new GraphSendTransport(clients, Clock.systemUTC());

        assertThat(once(transport, config(Map.of()), email)).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(once(transport, config(Map.of()), email)).isInstanceOf(SendOutcome.Delivered.class);

        assertThat(mailbox.sends).hasValue(1);
        assertThat(mailbox.draftsCreated).hasValue(1);
    }

    @Test
    void shouldStillUseSendMailForASmallEmail() {
        byte[] kb = new byte[1024];
        new Random(7).nextBytes(kb);
        EmailEvent email = email("small-1").attachments(List.of(
                new Attachment("a.bin", "application/octet-stream", Base64.getEncoder().encodeToString(kb)))).build();

        SendOutcome outcome = once(new GraphSendTransport(clients, Clock.systemUTC()), config(Map.of()), email);

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(mailbox.sendMails).hasValue(1);
        assertThat(mailbox.draftsCreated).hasValue(0);
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void shouldNeverHaveMoreThanFourRequestsInFlightForOneMailboxWith16Connections() {
        mailbox.delayMillis = 150;
        MailerConfig config = config(Map.of("smtpConnections", 16, "forcePostmaster", true));
        List<SendResult> results = new CopyOnWriteArrayList<>();
        List<SendJob> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String json = "{\"id\":\"c" + i + "\",\"to\":[\"bob@example.com\"],\"subject\":\"s\",\"text\":\"t\"}";
            jobs.add(new SendJob("k-c" + i, "c" + i, json.getBytes(StandardCharsets.UTF_8), Instant.now(), null));
        }

        try (SenderLanes lanes = new SenderLanes(new GraphSendTransport(clients, Clock.systemUTC()),
                Duration.ofSeconds(60))) {
            TenantSender sender = lanes.open("t", config, config.smtpConnections(), results::add);
            sender.submit(jobs);
            sender.finish();
            await().atMost(Duration.ofSeconds(60)).until(() -> results.size() == jobs.size());
        }

        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isInstanceOf(SendOutcome.Delivered.class));
        assertThat(mailbox.sendMails).hasValue(40);
        assertThat(mailbox.maxInFlight.get()).isBetween(2, 4);
    }
}
