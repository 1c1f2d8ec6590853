package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.embedded.EmbeddedSmtpServer;
import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big records (issue 9, item 4): an email with a 1 MB attachment is normal business, and any record the outbox
 * accepts is delivered, retried or dead-lettered. A record near the outbox's limit grows by its headers and
 * envelope on its way to the repartition, retry and dead-letter topics; without headroom there the stream thread
 * failed on it again and again, and its partition stopped for good.
 */
class BigRecordsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The broker's default max.message.bytes, which an outbox created by someone else typically has. */
    private static final int BROKER_DEFAULT_LIMIT = 1_048_588;

    @TempDir
    Path dir;

    private MailerHarness mailer;
    private KafkaProducer<byte[], byte[]> bigProducer;

    @BeforeEach
    void setUp() {
        mailer = new MailerHarness(dir.resolve("state"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mailer.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024));
        bigProducer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        bigProducer.close(Duration.ofSeconds(5));
        mailer.close();
    }

    private void publish(Integer partition, String id, byte[] value) throws Exception {
        bigProducer.send(new ProducerRecord<>(mailer.topics.outbox(), partition, id.getBytes(StandardCharsets.UTF_8),
                value)).get(30, TimeUnit.SECONDS);
    }

    /** A valid email event of exactly {@code size} bytes (give or take 3), most of it one attachment. */
    private static byte[] emailOfSize(String id, int size, String extraFields) {
        String head = "{\"id\":\"" + id + "\",\"from\":\"alice@company.example\",\"to\":[\"bob@example.com\"],"
                + "\"subject\":\"Subject " + id + "\",\"text\":\"Big one\"" + extraFields
                + ",\"attachments\":[{\"filename\":\"invoice.pdf\",\"contentType\":\"application/pdf\","
                + "\"contentBase64\":\"";
        String tail = "\"}]}";
        int base64Length = (size - head.length() - tail.length()) / 4 * 4;
        byte[] raw = new byte[base64Length / 4 * 3];
        new Random(42).nextBytes(raw);
        return (head + Base64.getEncoder().encodeToString(raw) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] attachmentOf(MimeMessage m) throws Exception {
        Multipart parts = (Multipart) m.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            if (Part.ATTACHMENT.equalsIgnoreCase(parts.getBodyPart(i).getDisposition())) {
                try (InputStream in = parts.getBodyPart(i).getInputStream()) {
                    return in.readAllBytes();
                }
            }
        }
        throw new AssertionError("no attachment");
    }

    @Test
    void shouldDeliverAnEmailWithAOneMegabyteAttachment() throws Exception {
        try (EmbeddedSmtpServer smtp = EmbeddedSmtpServer.start(0)) {
            mailer.start();
            mailer.publishConfig("default", config(smtp.port(), ""));
            byte[] pdf = new byte[1_000_000];
            new Random(7).nextBytes(pdf);
            String json = email("invoice-1mb", "\"attachments\":[{\"filename\":\"invoice.pdf\","
                    + "\"contentType\":\"application/pdf\",\"contentBase64\":\""
                    + Base64.getEncoder().encodeToString(pdf) + "\"}]");
            publish(null, "invoice-1mb", json.getBytes(StandardCharsets.UTF_8));

            await().atMost(WAIT).until(() -> !smtp.received().isEmpty());
            MimeMessage m = smtp.received().get(0);
            assertThat(m.getSubject()).isEqualTo("Subject invoice-1mb");
            assertThat(attachmentOf(m)).isEqualTo(pdf);
        }
    }

    @Test
    void shouldNotStopAPartitionForRecordsJustUnderTheOutboxLimit() throws Exception {
        try (Admin admin = mailer.admin()) {
            admin.createTopics(List.of(new NewTopic(mailer.topics.outbox(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(BROKER_DEFAULT_LIMIT)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // The batch and record overhead of one small-keyed record is under 100 bytes: this is as close as it gets.
        int justUnder = BROKER_DEFAULT_LIMIT - 120;
        try (FaultySmtpServer smtp = new FaultySmtpServer().start()) {
            // The first message is refused with a 4xx, so the big valid email also travels through mail.retry.
            smtp.failNextMessages(1, 451);
            mailer.start();
            mailer.publishConfig("default", config(smtp.port(), ""));
            // Invalid (an unknown field): a dead letter carrying the whole value plus the dead-letter headers.
            publish(0, "big-invalid", emailOfSize("big-invalid", justUnder, ",\"colour\":\"red\""));
            publish(0, "big-valid", emailOfSize("big-valid", justUnder, ""));
            publish(0, "next", email("next", "").getBytes(StandardCharsets.UTF_8));

            await().atMost(WAIT).until(() -> smtp.subjects().contains("Subject next"));
            await().atMost(WAIT).until(() -> smtp.subjects().contains("Subject big-valid"));
            MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
            await().atMost(WAIT).until(() -> !dlq.poll().isEmpty());
            ConsumerRecord<byte[], byte[]> dead = dlq.poll().get(0);
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("big-invalid");
            assertThat(dead.value()).hasSize(emailOfSize("big-invalid", justUnder, ",\"colour\":\"red\"").length);
            assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.MESSAGE).value(), StandardCharsets.UTF_8))
                    .contains("colour");
            MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
            await().atMost(WAIT).until(() -> status.statuses().stream()
                    .anyMatch(s -> s.id().equals("big-valid") && s.status() == Status.SENT));
            assertThat(status.statuses()).anyMatch(s -> s.id().equals("big-valid")
                    && s.status() == Status.RETRY_SCHEDULED);
        }
    }

    /**
     * Issue 16, item 1: an email near the outbox's limit with thousands of long recipients, against a server that
     * takes 1,000 per message and answers 452 4.5.3 to the rest. The retry of the rest once carried them all in
     * a header, past the producer's limit: the transaction aborted, the 1,000 got it again, the stream thread
     * died, again and again. Now each recipient gets it exactly once, over several runs, and the stream goes on.
     */
    @Test
    void shouldDeliverABigEmailToThousandsOfRecipientsOnceEachThroughA452AfterEveryThousand() throws Exception {
        try (Admin admin = mailer.admin()) {
            admin.createTopics(List.of(new NewTopic(mailer.topics.outbox(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(BROKER_DEFAULT_LIMIT)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        List<String> to = new java.util.ArrayList<>();
        StringBuilder recipients = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            // 250 characters each, a display name with accents and CJK.
            String bare = String.format("r%05d", i) + "x".repeat(58) + "@" + "a".repeat(60) + "." + "b".repeat(60)
                    + "." + "c".repeat(39) + ".example";
            to.add(bare);
            recipients.append(i == 0 ? "" : ",").append("\"\\\"Zoë Ünïcødé 名前\\\" <").append(bare).append(">\"");
        }
        String json = new String(emailOfSize("big-many", BROKER_DEFAULT_LIMIT - 120, ""), StandardCharsets.UTF_8).replace("\"to\":[\"bob@example.com\"]",
                "\"to\":[" + recipients + "]");
        // Back to just under the outbox's limit: the attachment gives way to the recipients.
        int over = json.getBytes(StandardCharsets.UTF_8).length - (BROKER_DEFAULT_LIMIT - 120);
        int b64 = json.indexOf("\"contentBase64\":\"") + "\"contentBase64\":\"".length();
        int end = json.indexOf('"', b64);
        int keep = ((end - b64) - over) / 4 * 4;
        json = json.substring(0, b64) + json.substring(b64, b64 + keep) + json.substring(end);
        byte[] big = json.getBytes(StandardCharsets.UTF_8);
        assertThat(big.length).isBetween(BROKER_DEFAULT_LIMIT - 130, BROKER_DEFAULT_LIMIT - 120);

        try (FaultySmtpServer smtp = new FaultySmtpServer().start()) {
            smtp.maxRecipientsPerMessage(1_000);
            mailer.start();
            java.util.Set<String> threads = streamThreads();
            mailer.publishConfig("default", config(smtp.port(), ""));
            publish(0, "big-many", big);

            await().atMost(Duration.ofSeconds(120)).until(() -> delivered(smtp).size() >= to.size());
            publish(0, "after-big", email("after-big", "").getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> smtp.subjects().contains("Subject after-big"));

            Map<String, Long> copies = delivered(smtp);
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(to);
            assertThat(copies.values()).as("every recipient exactly once").containsOnly(1L);
            assertThat(smtp.subjects().stream().filter("Subject big-many"::equals)).hasSize(3);
            assertThat(mailer.fatal).as("the mailer never gave up").isEmpty();
            assertThat(streamThreads()).as("no stream thread died and was replaced").isEqualTo(threads);
            MailerHarness.TopicReader dlq = mailer.reader(mailer.topics.dlq());
            assertThat(dlq.poll()).isEmpty();
            MailerHarness.TopicReader status = mailer.reader(mailer.topics.status());
            await().atMost(WAIT).until(() -> status.statuses().stream()
                    .anyMatch(s -> s.id().equals("big-many") && s.status() == Status.SENT));
        }
    }

    /** How many copies of the big email each envelope recipient got, over every message the server accepted. */
    private static Map<String, Long> delivered(FaultySmtpServer smtp) {
        return smtp.received().stream().filter(r -> "Subject big-many".equals(r.header("Subject")))
                .flatMap(r -> r.recipients().stream())
                .collect(java.util.stream.Collectors.groupingBy(r -> r, java.util.stream.Collectors.counting()));
    }

    private java.util.Set<String> streamThreads() {
        return mailer.app().streams().metadataForLocalThreads().stream()
                .map(org.apache.kafka.streams.ThreadMetadata::threadName)
                .collect(java.util.stream.Collectors.toSet());
    }
}
