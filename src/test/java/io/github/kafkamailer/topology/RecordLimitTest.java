package io.github.kafkamailer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kafkamailer.failure.DeadLetterHeaders;
import io.github.kafkamailer.failure.DeadLetterKind;
import io.github.kafkamailer.failure.DeadLetters;
import io.github.kafkamailer.model.Addresses;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The measures behind issue 16, item 1: the producer's limit, a record's size, the bits, the cut dead letter. */
class RecordLimitTest {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private static Properties streams() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "t");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return p;
    }

    @Test
    void shouldReadTheProducersOwnLimitPrefixedPlainOrDefault() {
        assertThat(RecordLimit.of(streams()).bytes()).isEqualTo(1_048_576);
        Properties plain = streams();
        plain.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        assertThat(RecordLimit.of(plain).bytes()).isEqualTo(2_000_000);
        Properties prefixed = streams();
        prefixed.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        prefixed.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 3_000_000);
        assertThat(RecordLimit.of(prefixed).bytes()).isEqualTo(3_000_000);
        Properties small = streams();
        small.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), "64000000");
        small.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), "33554432");
        assertThat(RecordLimit.of(small).bytes()).as("never above buffer.memory").isEqualTo(33_554_432);
    }

    @Test
    void shouldNeverMeasureARecordBelowWhatTheProducerComputes() {
        Random random = new Random(5);
        for (int n = 0; n < 50; n++) {
            byte[] key = new byte[random.nextInt(300)];
            byte[] value = new byte[random.nextInt(200_000)];
            Headers h = new RecordHeaders();
            for (int i = random.nextInt(6); i > 0; i--) {
                h.add("mailer.h" + i + "é", new byte[random.nextInt(70_000)]);
            }
            long ours = RecordLimit.size(key, value, h);
            // The producer refuses what is past max.request.size: with that set to our measure, it takes it.
            assertThat(producerTakes((int) ours, key, value, h)).isTrue();
            assertThat(ours - producerEstimate(key, value, h)).isBetween(0L, 64L);
        }
    }

    /** What KafkaProducer compares with max.request.size before it sends (its internal estimate, uncompressed). */
    private static long producerEstimate(byte[] key, byte[] value, Headers h) {
        return org.apache.kafka.common.record.internal.AbstractRecords.estimateSizeInBytesUpperBound(
                org.apache.kafka.common.record.internal.RecordBatch.CURRENT_MAGIC_VALUE,
                org.apache.kafka.common.record.internal.CompressionType.NONE, key, value, h.toArray());
    }

    private static boolean producerTakes(int maxRequestSize, byte[] key, byte[] value, Headers h) {
        return producerEstimate(key, value, h) <= maxRequestSize;
    }

    @Test
    void shouldFitARecordAtExactlyTheLimitAndNotOneByteMore() {
        byte[] key = "id".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[10_000];
        Headers h = new RecordHeaders().add("mailer.x", "ü名".getBytes(StandardCharsets.UTF_8));
        int size = (int) RecordLimit.size(key, value, h);
        assertThat(new RecordLimit(size).fits(key, value, h)).isTrue();
        assertThat(new RecordLimit(size - 1).fits(key, value, h)).isFalse();
    }

    @Test
    void shouldGiveTenThousandLongUnicodeRecipientsBackFromTheirBitsInTheEmailsOrder() {
        List<String> to = IntStream.range(0, 10_000).mapToObj(BigOutcomeTopologyTest::longRecipient).toList();
        byte[] email = BigOutcomeTopologyTest.emailWith("e", to).getBytes(StandardCharsets.UTF_8);
        List<String> deferred = to.subList(1_000, 10_000).stream().map(Addresses::bareAddress).toList();

        List<String> backwards = new java.util.ArrayList<>(deferred);
        java.util.Collections.reverse(backwards);
        byte[] bits = RecipientPositions.of(email, backwards);

        assertThat(bits).hasSizeLessThanOrEqualTo(10_000 / 8);
        assertThat(RecipientPositions.read(email, bits)).containsExactlyElementsOf(deferred);
        assertThat(RecipientPositions.of(email, List.of(deferred.get(0).toUpperCase(java.util.Locale.ROOT))))
                .as("addresses compare case-insensitively").isNotNull();
        assertThat(RecipientPositions.of(email, List.of("stranger@example.com"))).isNull();
        assertThatThrownBy(() -> RecipientPositions.read(email, new byte[2_000]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepAPendingEntryWithTenThousandDeferredRecipientsSmallAndReadItBack() {
        List<String> to = IntStream.range(0, 10_000).mapToObj(BigOutcomeTopologyTest::longRecipient).toList();
        byte[] value = BigOutcomeTopologyTest.emailWith("e", to).getBytes(StandardCharsets.UTF_8);
        List<String> deferred = to.subList(1_000, 10_000).stream().map(Addresses::bareAddress).toList();
        PendingEmail p = new PendingEmail("default", "e", value, "mail.outbox/0/7", T, 1, T, T.plusSeconds(1),
                deferred);

        byte[] entry = PendingEmailSerde.write(p);

        assertThat(entry.length - value.length).as("bits, not 2 MB of list").isLessThan(2_000);
        assertThat(entry[0]).as("a layout an older mailer refuses rather than misreads").isEqualTo((byte) 3);
        PendingEmail back = PendingEmailSerde.read(entry);
        assertThat(back.onlyRecipients()).containsExactlyElementsOf(deferred);
        assertThat(back.value()).isEqualTo(value);

        PendingEmail shortList = p.withOnlyRecipients(deferred.subList(0, 3));
        byte[] listed = PendingEmailSerde.write(shortList);
        assertThat(listed[0]).as("a short list stays in the older layout").isEqualTo((byte) 2);
        assertThat(PendingEmailSerde.read(listed).onlyRecipients()).containsExactlyElementsOf(deferred.subList(0, 3));
    }

    @Test
    void shouldCutADeadLetterToExactlyTheLimitListingWhatFitsAndNamingAllAsBits() {
        List<String> to = IntStream.range(0, 10_000).mapToObj(BigOutcomeTopologyTest::longRecipient).toList();
        byte[] value = BigOutcomeTopologyTest.emailWith("e", to).getBytes(StandardCharsets.UTF_8);
        byte[] key = "e".getBytes(StandardCharsets.UTF_8);
        List<String> undelivered = to.stream().map(Addresses::bareAddress).toList();
        PendingEmail p = new PendingEmail("default", "e", value, "mail.outbox/0/7", T, 3, T, T, undelivered);
        String reason = "still failing: " + "ü".repeat(3_000);
        byte[] bits = RecipientPositions.of(value, undelivered);
        Headers bare = DeadLetters.headers(new RecordHeaders(), DeadLetterKind.EXPIRED, reason, 3, T, p.source(),
                List.of(), undelivered.size(), bits);
        int atBare = (int) RecordLimit.size(key, value, bare);

        for (int limit : new int[] {atBare, atBare + 1, atBare + 5_000, atBare + 1_000_000}) {
            Headers h = recorder(limit).deadLetterHeaders(key, p, DeadLetterKind.EXPIRED, reason);
            assertThat(RecordLimit.size(key, value, h)).isLessThanOrEqualTo(limit);
            String[] lines = header(h, DeadLetterHeaders.UNDELIVERED_RECIPIENTS).split("\n");
            int listed = lines.length - 1;
            assertThat(List.of(lines).subList(0, listed)).containsExactlyElementsOf(undelivered.subList(0, listed));
            assertThat(lines[listed]).startsWith("(and " + (undelivered.size() - listed) + " more");
            assertThat(RecipientPositions.read(value,
                    Base64.getDecoder().decode(h.lastHeader(DeadLetterHeaders.UNDELIVERED_POSITIONS).value())))
                    .containsExactlyElementsOf(undelivered);
        }
        Headers roomy = recorder(4 * value.length).deadLetterHeaders(key, p, DeadLetterKind.EXPIRED, reason);
        assertThat(header(roomy, DeadLetterHeaders.UNDELIVERED_RECIPIENTS).split("\n"))
                .as("whole when it fits").containsExactlyElementsOf(undelivered);
        assertThat(roomy.lastHeader(DeadLetterHeaders.UNDELIVERED_POSITIONS)).isNull();

        int noBits = (int) RecordLimit.size(key, value, DeadLetters.headers(new RecordHeaders(),
                DeadLetterKind.EXPIRED, reason, 3, T, p.source(), List.of(), undelivered.size(), null));
        Headers counted = recorder(noBits).deadLetterHeaders(key, p, DeadLetterKind.EXPIRED, reason);
        assertThat(header(counted, DeadLetterHeaders.UNDELIVERED_RECIPIENTS))
                .isEqualTo("(and 10000 more, past the record limit)");
        assertThatThrownBy(() -> recorder(noBits - 1).deadLetterHeaders(key, p, DeadLetterKind.EXPIRED, reason))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("max.request.size");
    }

    private static OutcomeRecorder recorder(int limit) {
        return new OutcomeRecorder(null, null, null, null, new RecordLimit(limit));
    }

    private static String header(Headers h, String name) {
        return new String(h.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
